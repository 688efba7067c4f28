// How a builder talks to the web tier. Over HTTP (a remote builder, with a list of web
// nodes or a load balancer to try in turn) or in-process through Fastify's inject (the
// builder inside `bindery serve`): the same routes and checks either way.
import type { FastifyInstance } from 'fastify';

export interface ApiResponse {
  status: number;
  body: unknown;
}

export interface BuilderTransport {
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
}

/** Thrown when no web node answered: the caller keeps its state and tries again later. */
export class UnreachableError extends Error {}

export class HttpTransport implements BuilderTransport {
  readonly #urls: string[];
  readonly #secret: string;
  readonly #timeoutMs: number;
  #next = 0;

  constructor(urls: string[], secret: string, timeoutMs = 30_000) {
    this.#urls = urls.map((u) => u.replace(/\/+$/, ''));
    this.#secret = secret;
    this.#timeoutMs = timeoutMs;
  }

  async post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
    let lastError: unknown;
    // One pass over the nodes, starting after the last one that worked.
    for (let i = 0; i < this.#urls.length; i++) {
      const index = (this.#next + i) % this.#urls.length;
      try {
        const res = await fetch(`${this.#urls[index]}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${this.#secret}`, ...headers },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(this.#timeoutMs),
        });
        // A node that is up but failing (502 from a proxy, 503 while restarting) counts as unreachable.
        if (res.status === 502 || res.status === 503 || res.status === 504) throw new Error(`HTTP ${res.status}`);
        this.#next = index;
        const text = await res.text();
        return { status: res.status, body: text ? JSON.parse(text) : null };
      } catch (err) {
        lastError = err;
      }
    }
    throw new UnreachableError(`no web node answered: ${(lastError as Error)?.message ?? 'unknown error'}`);
  }
}

export class InjectTransport implements BuilderTransport {
  readonly #app: FastifyInstance;
  readonly #secret: string;

  constructor(app: FastifyInstance, secret: string) {
    this.#app = app;
    this.#secret = secret;
  }

  async post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
    const res = await this.#app.inject({ method: 'POST', url: path, payload: body as object, headers: { authorization: `Bearer ${this.#secret}`, ...headers } });
    if (res.statusCode >= 500) throw new UnreachableError(`HTTP ${res.statusCode}: ${res.body}`);
    return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : null };
  }
}
