// The S3 backend: one bucket of AWS S3 or any S3-compatible service (MinIO, Ceph, R2…), keys
// under a prefix. A build's objects appear one by one, so a build is only made live (the
// database pointer) after putDirectory resolved — which is why any failed file rejects it.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import mime from 'mime-types';
import { listLocalFiles, runBounded, type LocalFile } from './local-files.ts';
import { firstBytes, parseContentRange } from './ranges.ts';
import { assertSafeKey, type ByteRange, type Storage, type StoredFile } from './storage.ts';

export interface S3StorageOptions {
  bucket: string;
  /** Every key is stored under `prefix/`; '' for the bucket's root. */
  prefix: string;
  /** An S3-compatible service; null → AWS. */
  endpoint: string | null;
  region: string;
  /** null → the SDK's default credential chain. */
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
  forcePathStyle: boolean;
  /** Tries per request, including the first (SDK standard retry mode). */
  maxAttempts?: number;
  /** Files of at least this size go up in parts of this size (S3's minimum is 5 MB). */
  partSize?: number;
  /** Files uploaded at once by putDirectory. */
  concurrency?: number;
}

const MB = 1024 * 1024;
/** S3 refuses longer keys; such a key names no object, as ENAMETOOLONG does on disk. */
const MAX_KEY_BYTES = 1024;
/** Two parts in flight per large file: at most concurrency × 2 × partSize bytes buffered. */
const PART_QUEUE = 2;

export class S3Storage implements Storage {
  readonly client: S3Client;
  readonly bucket: string;
  readonly prefix: string;
  readonly partSize: number;
  readonly concurrency: number;

  constructor(options: S3StorageOptions) {
    this.bucket = options.bucket;
    this.prefix = options.prefix.replace(/^\/+|\/+$/g, '');
    this.partSize = Math.max(5 * MB, options.partSize ?? 8 * MB);
    this.concurrency = Math.max(1, options.concurrency ?? 8);
    this.client = new S3Client({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
      forcePathStyle: options.forcePathStyle,
      // Retries with backoff of throttling, 5xx, timeouts and reset connections.
      retryMode: 'standard',
      maxAttempts: options.maxAttempts ?? 4,
      // The SDK's default (CRC32 on every upload, sometimes as aws-chunked trailers) is refused or
      // mis-stored by many S3-compatible services; only send checksums where S3 requires them.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  /** The bucket key of a storage key. */
  private objectKey(key: string): string {
    assertSafeKey(key);
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  private where(key: string): string {
    return `s3://${this.bucket}/${this.prefix ? `${this.prefix}/` : ''}${key}`;
  }

  async put(key: string, body: Buffer | string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key), Body: body, ContentType: contentType(key) }));
  }

  async putDirectory(localDir: string, prefix: string): Promise<string[]> {
    const files = await listLocalFiles(localDir);
    const keys = files.map((f) => [prefix, ...f.rel].join('/'));
    // Every key is checked before the first byte goes up, so a bad name uploads nothing.
    for (const key of keys) this.objectKey(key);
    const jobs = files.map((file, i) => ({ file, key: keys[i]! }));
    try {
      await runBounded(jobs, this.concurrency, ({ file, key }) => this.uploadFile(file, key));
    } catch (err) {
      throw new Error(`uploading ${localDir} to ${this.where(prefix)}/ failed, so the upload is incomplete: ${describe(err)}`, { cause: err });
    }
    return keys;
  }

  private async uploadFile(file: LocalFile, key: string): Promise<void> {
    // O_NOFOLLOW: a file swapped for a symlink after the walk is refused, not followed.
    const handle = await fsp.open(file.abs, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    let stream: fs.ReadStream | null = null;
    try {
      const { size } = await handle.stat();
      const params = { Bucket: this.bucket, Key: this.objectKey(key), ContentType: contentType(key) };
      if (size < this.partSize) {
        await this.client.send(new PutObjectCommand({ ...params, Body: await handle.readFile() }));
      } else {
        // The stream owns the handle from here (closing it closes the file).
        stream = handle.createReadStream();
        // leavePartsOnError: Upload's own abort throws its error in place of the first one, so
        // abort here instead and report what really failed.
        const upload = new Upload({ client: this.client, params: { ...params, Body: stream, ContentLength: size }, partSize: this.partSize, queueSize: PART_QUEUE, leavePartsOnError: true });
        try {
          await upload.done();
        } catch (err) {
          throw await this.abortMultipart(params.Key, upload.uploadId, err);
        }
      }
    } catch (err) {
      throw new Error(`${key}: ${describe(err)}`, { cause: err });
    } finally {
      if (stream) stream.destroy();
      else await handle.close();
    }
  }

  /**
   * Drops the parts of a failed multipart upload (a multipart object is only ever visible once
   * completed, so this frees space; it does not hide anything). Returns the error to throw.
   */
  private async abortMultipart(Key: string, UploadId: string | undefined, failure: unknown): Promise<unknown> {
    if (!UploadId) return failure;
    try {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key, UploadId }));
    } catch (abortError) {
      // The first failure is the one to report; an incomplete-multipart lifecycle rule clears what is left.
      return new Error(`${describe(failure)} (its parts could not be dropped either: ${describe(abortError)})`, { cause: failure });
    }
    return failure;
  }

  async get(key: string, range?: ByteRange): Promise<StoredFile | null> {
    const Key = this.objectKey(key);
    if (Buffer.byteLength(Key) > MAX_KEY_BYTES) return null;
    let out;
    try {
      out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key, ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }));
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
    const body = out.Body;
    if (!(body instanceof Readable)) throw new Error(`S3 returned no readable body for ${this.where(key)}`);
    if (!range) return { size: out.ContentLength ?? 0, modified: out.LastModified ?? new Date(0), body };
    // `bytes 2-5/11`: the part after the slash is the whole object's size.
    const served = parseContentRange(out.ContentRange);
    const end = served ? Math.min(range.end, served.size - 1) : -1;
    if (!served || served.start !== range.start || served.end < end) {
      body.destroy();
      throw new Error(`S3 answered the range ${range.start}-${range.end} of ${this.where(key)} with ${JSON.stringify(out.ContentRange ?? 'the whole object')}`);
    }
    const exact = served.end === end;
    return { size: served.size, modified: out.LastModified ?? new Date(0), body: exact ? body : firstBytes(body, end - range.start + 1) };
  }

  async exists(key: string): Promise<boolean> {
    let Key: string;
    try {
      Key = this.objectKey(key);
    } catch {
      // A question, not an action: no unsafe key names an object (as on the filesystem).
      return false;
    }
    if (Buffer.byteLength(Key) > MAX_KEY_BYTES) return false;
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key }));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /** Bucket keys under a storage prefix, as a folder: `p/v1` never matches `p/v10/…`. */
  private async listObjectKeys(prefix: string): Promise<string[]> {
    const Prefix = `${this.objectKey(prefix.replace(/\/+$/, ''))}/`;
    const keys: string[] = [];
    let ContinuationToken: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix, ...(ContinuationToken ? { ContinuationToken } : {}) }));
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
    return keys;
  }

  async list(prefix: string): Promise<string[]> {
    const strip = this.prefix ? this.prefix.length + 1 : 0;
    // Sorted here too: S3 orders by UTF-8 bytes, JavaScript (and the filesystem backend) by UTF-16.
    return (await this.listObjectKeys(prefix)).map((k) => k.slice(strip)).sort();
  }

  async deletePrefix(prefix: string): Promise<void> {
    const keys = await this.listObjectKeys(prefix);
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      const out = await this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }));
      const errors = out.Errors ?? [];
      if (errors.length > 0) {
        const first = errors[0]!;
        throw new Error(`S3 could not delete ${errors.length} object(s) under ${this.where(prefix)}: ${first.Key}: ${first.Code} ${first.Message ?? ''}`.trim());
      }
    }
  }

  /** Closes the client's idle connections. */
  destroy(): void {
    this.client.destroy();
  }
}

function contentType(key: string): string {
  return mime.lookup(key) || 'application/octet-stream';
}

/** NoSuchKey (GET) or a bodiless 404 (HEAD). A missing bucket stays an error on GET. */
function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || (e?.$metadata?.httpStatusCode === 404 && e?.name !== 'NoSuchBucket');
}

/** One line for an error, with the number of tries the SDK made when it says. */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const attempts = (err as { $metadata?: { attempts?: number } }).$metadata?.attempts;
  const code = (err as { code?: string }).code;
  const name = err.name !== 'Error' ? `${err.name}: ` : code ? `${code}: ` : '';
  return `${name}${err.message}${attempts && attempts > 1 ? ` (after ${attempts} attempts)` : ''}`;
}
