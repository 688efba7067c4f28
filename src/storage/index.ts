// Picks the storage backend named by STORAGE_URL.
import { fileURLToPath } from 'node:url';
import { FilesystemStorage } from './filesystem.ts';
import type { Storage } from './storage.ts';

export type { Storage } from './storage.ts';

export function openStorage(storageUrl: string): Storage {
  const url = new URL(storageUrl);
  if (url.protocol === 'file:') return new FilesystemStorage(fileURLToPath(url));
  throw new Error(`STORAGE_URL=${storageUrl}: unsupported storage (expected file:///path)`);
}
