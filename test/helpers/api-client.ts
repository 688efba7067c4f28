// Calls to API v3 through the web tier's inject (the real routes, hooks and database), as a
// given user, and a quick way to import a project from a real git repository.
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from './test-app.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiClient {
  call(method: Method, url: string, payload?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  put(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
  /** The same call with an `application/x-www-form-urlencoded` body (as `curl -d` sends). */
  form(method: Method, url: string, fields: Record<string, string>): Promise<LightMyRequestResponse>;
  /** The same call with a `multipart/form-data` body (as `curl -F` sends). */
  multipart(method: Method, url: string, fields: Record<string, string>): Promise<LightMyRequestResponse>;
}

const BOUNDARY = '----bindery-test-boundary';

/** Text fields as one multipart/form-data body. */
export function multipartBody(fields: Record<string, string>): { body: string; contentType: string } {
  const parts = Object.entries(fields).map(([k, v]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  return { body: `${parts.join('')}--${BOUNDARY}--\r\n`, contentType: `multipart/form-data; boundary=${BOUNDARY}` };
}

export function apiClient(app: TestApp, auth: Record<string, string> = app.auth): ApiClient {
  const call = (method: Method, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    app.web.inject({ method, url, headers: { ...auth, ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });
  return {
    call,
    get: (url) => call('GET', url),
    post: (url, payload) => call('POST', url, payload ?? {}),
    put: (url, payload) => call('PUT', url, payload ?? {}),
    patch: (url, payload) => call('PATCH', url, payload ?? {}),
    delete: (url) => call('DELETE', url),
    form: (method, url, fields) =>
      app.web.inject({ method, url, headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() }),
    multipart: (method, url, fields) => {
      const { body, contentType } = multipartBody(fields);
      return app.web.inject({ method, url, headers: { ...auth, 'content-type': contentType }, payload: body });
    },
  };
}

/** Imports a project (201 or the test fails) and returns its slug. */
export async function importProject(client: ApiClient, name: string, repoUrl: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await client.post('/api/v3/projects/', { name, repository: { url: repoUrl }, ...extra });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().slug;
}

/** The messages a Read the Docs-shaped error body has for `field` (`repository.url` walks into `{"repository": {"url": […]}}`). */
export function fieldMessages(body: unknown, field: string): string[] | undefined {
  let node = body;
  for (const part of field.split('.')) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
  return Array.isArray(node) ? (node as string[]) : undefined;
}

/** Asserts a 400 whose body names `field` as Read the Docs does (`{"<field>": ["<message>"]}`). */
export function assertFieldError(res: LightMyRequestResponse, field: string, what = ''): void {
  assert.equal(res.statusCode, 400, `${what} → ${res.statusCode} ${res.body}`);
  assert.ok(fieldMessages(res.json(), field)?.length, `${what} names ${field}: ${res.body}`);
}
