// The client's only way to the server: global fetch against API v3 with the token. Every
// failure becomes a ClientError in words (refused token, the 404's detail, "connection
// refused"), so the commands only write the path where things work.
import type { Credentials } from './credentials.ts';
import { ClientError, retryable } from './errors.ts';
import type { Page } from './types.ts';

// Generous: importing a project runs `git ls-remote` on the server before it answers.
const TIMEOUT_MS = 60_000;
const PAGE_SIZE = 100;

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name could not be resolved',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  ECONNRESET: 'the connection was reset',
  UND_ERR_SOCKET: 'the server closed the connection',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

type Cause = Error & { code?: string; errors?: Array<{ code?: string }> };

/** Why fetch could not talk to the server. */
export function unreachable(base: string, err: unknown): ClientError {
  if (err instanceof ClientError) return err;
  const e = err as Error & { cause?: Cause };
  if (e.name === 'TimeoutError') return retryable(`${base} did not answer within ${TIMEOUT_MS / 1000} s`);
  // With several addresses for one name (IPv4 and IPv6), undici's cause is an AggregateError.
  const code = e.cause?.code ?? e.cause?.errors?.find((x) => x.code)?.code;
  const reason = (code && REASONS[code]) || e.cause?.message || e.message;
  return retryable(`cannot reach ${base}: ${reason}`);
}

export class Api {
  readonly base: string;
  readonly #credentials: Credentials;

  constructor(credentials: Credentials) {
    this.#credentials = credentials;
    this.base = credentials.url;
  }

  url(path: string): string {
    return `${this.base}/api/v3/${path}`;
  }

  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await this.#fetch(method, path, { body, signal: AbortSignal.timeout(TIMEOUT_MS) });
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw unreachable(this.base, err);
    }
    if (!res.ok) throw this.#error(res, text, `${method} ${this.url(path)}`);
    const json = parseJson(res, text);
    if (json === undefined) {
      throw new ClientError(`${this.base} did not answer like a Bindery server (HTTP ${res.status}, ${res.headers.get('content-type') ?? 'no content type'})`);
    }
    return json as T;
  }

  /** Every item of a paged list, fetched page by page (offsets, not the `next` links: they name the server's PUBLIC_URL, which may not be the address used here). */
  async listAll<T>(path: string): Promise<Page<T>> {
    const results: T[] = [];
    let count = 0;
    for (let offset = 0; ; offset += PAGE_SIZE) {
      const page = await this.request<Page<T>>('GET', `${path}?limit=${PAGE_SIZE}&offset=${offset}`);
      count = page.count;
      results.push(...page.results);
      if (page.results.length === 0 || results.length >= count) break;
    }
    return { count, next: null, previous: null, results };
  }

  /** An open Server-Sent Events response; resumes after `lastEventId` when given. */
  async stream(path: string, lastEventId: string, signal?: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (lastEventId) headers['last-event-id'] = lastEventId;
    const res = await this.#fetch('GET', path, { headers, signal });
    if (!res.ok) throw this.#error(res, await res.text().catch(() => ''), `GET ${this.url(path)}`);
    if (!res.headers.get('content-type')?.startsWith('text/event-stream') || !res.body) {
      await res.body?.cancel();
      throw new ClientError(`${this.base} did not answer with an event stream (HTTP ${res.status}, ${res.headers.get('content-type') ?? 'no content type'})`);
    }
    return res.body;
  }

  async #fetch(method: string, path: string, init: { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal }): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', authorization: `Token ${this.#credentials.token}`, ...init.headers };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetch(this.url(path), { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body), signal: init.signal });
    } catch (err) {
      throw unreachable(this.base, err);
    }
  }

  #error(res: Response, text: string, request: string): ClientError {
    const body = parseJson(res, text);
    const fields = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    const detail = typeof fields.detail === 'string' ? fields.detail : null;
    if (res.status === 401) {
      return new ClientError(`the server refused the token: ${detail ?? `HTTP ${res.status}`} (token from ${this.#credentials.source})`);
    }
    // A refused input names its fields as Read the Docs does: {"name": ["…"], "repository": {"url": ["…"]}}.
    const problems = detail === null ? fieldMessages(fields) : [];
    if (detail === null && problems.length === 0) {
      const message = `HTTP ${res.status} ${res.statusText} from ${request}`.replace('  ', ' ');
      return res.status >= 500 ? retryable(message) : new ClientError(message);
    }
    // A 404 names what was asked for, or "Not found." would not say which.
    const message = detail !== null ? (res.status === 404 ? `${detail} (${request})` : detail) : problems.join('\n  ');
    return res.status >= 500 ? retryable(`the server failed (HTTP ${res.status}): ${message}`) : new ClientError(message);
  }
}

/** `{"a": ["m"], "b": {"c": ["n"]}}` → ["a: m", "b.c: n"]. */
function fieldMessages(body: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(body).flatMap(([field, value]) => {
    const name = prefix ? `${prefix}.${field}` : field;
    if (Array.isArray(value)) return value.map((m) => `${name}: ${String(m)}`);
    if (value && typeof value === 'object') return fieldMessages(value as Record<string, unknown>, name);
    return typeof value === 'string' ? [`${name}: ${value}`] : [];
  });
}

function parseJson(res: Response, text: string): unknown {
  if (!/\bjson\b/.test(res.headers.get('content-type') ?? '')) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
