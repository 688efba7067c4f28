// Picks the storage backend named by STORAGE_URL: file:///path or s3://bucket/prefix.
import { fileURLToPath } from 'node:url';
import { loadS3Config, type S3Config } from '../config.ts';
import { FilesystemStorage } from './filesystem.ts';
import { S3Storage } from './s3.ts';
import type { Storage } from './storage.ts';

export type { Storage } from './storage.ts';

/**
 * Opens the storage of a STORAGE_URL. For s3:// pass `config.s3`; without it the S3_*
 * variables are read from the environment, so callers that only pass the URL still work.
 */
export function openStorage(storageUrl: string, s3?: S3Config): Storage {
  const url = new URL(storageUrl);
  if (url.protocol === 'file:') return new FilesystemStorage(fileURLToPath(url));
  if (url.protocol === 's3:') return new S3Storage(s3 ?? loadS3Config(storageUrl, process.env));
  throw new Error(`STORAGE_URL=${storageUrl}: unsupported storage (expected file:///path or s3://bucket/prefix)`);
}
