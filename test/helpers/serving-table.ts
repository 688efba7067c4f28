// servingTable(): the docs server's behaviour as a table — each row a request (method, host,
// path, headers) and what Read the Docs answers to it (status, Location, served file, headers) —
// run over a real socket against a docs server on a fresh database, with sites built directly
// in the database and storage (docs-fixture.ts). Rows stay declarative so a spec file reads as
// the specification; the setup functions are the only code.
//
//   servingTable('user redirects', {
//     async setup(f) { await site(f, 'guide', { latest: { 'index.html': page('home') } }); },
//     rows: [
//       { name: 'root goes to the default version', request: { host: 'guide.docs.localhost', path: '/' },
//         expect: { status: 302, location: '/en/latest/', headers: { 'x-rtd-redirect': 'system' } } },
//     ],
//   });
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DocsAppOptions } from '../../src/docs/app.ts';
import type { Project, projects, Version } from '../../src/db/schema.ts';
import { docsFixture, type DocsFixture } from './docs-fixture.ts';

/** A header expectation: a string equal to the value, a RegExp matching it, true present, null absent. */
export type HeaderExpectation = string | RegExp | true | null;

export interface ServingRequest {
  method?: 'GET' | 'HEAD' | 'OPTIONS' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** The Host header; the table's `host` when omitted. */
  host?: string;
  /** Path and query exactly as sent (not normalised): `/en/latest/a.html?x=1`. */
  path: string;
  /** Extra headers, e.g. `{ 'x-forwarded-proto': 'https' }` (believed only with `trustProxy`). */
  headers?: Record<string, string>;
}

export interface ServingExpectation {
  status: number;
  /** The Location header: exactly this string, or matching this RegExp; null: no Location. */
  location?: string | RegExp | null;
  /** The body contains this string / matches this RegExp (a page's marker text). */
  body?: string | RegExp;
  /** The body must not contain / match this. */
  notBody?: string | RegExp;
  /** Headers by lower-case name (see HeaderExpectation). */
  headers?: Record<string, HeaderExpectation>;
  /**
   * Follow the answer's same-host redirects (relative Locations, or absolute ones on the same
   * host) up to `maxHops` (default 10) times, then expect this: how a row says "never loops".
   */
  follow?: { status: number; location?: string | RegExp | null; body?: string | RegExp; maxHops?: number };
}

export interface ServingRow {
  /** What Read the Docs rule the row pins, in words; the test's name. */
  name: string;
  /** Extra state for this row only (run once, before its request); use slugs no other row uses. */
  setup?: (f: DocsFixture) => Promise<void>;
  request: ServingRequest;
  expect: ServingExpectation;
  /** Skip the row, saying why (a rule not implemented yet). */
  todo?: string;
}

export interface ServingTable {
  /** Options of the docs server (docsDomain, trustProxy, …). Trusts 127.0.0.1's X-Forwarded-* by default. */
  options?: Partial<Omit<DocsAppOptions, 'db' | 'storage' | 'log'>>;
  /** The Host of rows that name none. */
  host?: string;
  /** Builds the sites all rows share, once. */
  setup?: (f: DocsFixture) => Promise<void>;
  rows: ServingRow[];
}

export interface ServingResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request over a real socket, with any Host and method. */
export function send(port: number, req: Required<Pick<ServingRequest, 'host' | 'path'>> & ServingRequest): Promise<ServingResponse> {
  return new Promise((resolve, reject) => {
    const r = http.request({ host: '127.0.0.1', port, path: req.path, method: req.method ?? 'GET', headers: { host: req.host, ...req.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    r.on('error', reject);
    r.end();
  });
}

/** A small html page whose text is `marker`, to tell served files apart. */
export const page = (marker: string) => `<!doctype html><title>${marker}</title><p>${marker}</p>\n`;

/**
 * A project with versions, each deployed with its files: `site(f, 'guide', { latest: {...} })`.
 * Versions are deployed in the given order; `versionFields` sets per-version columns (hidden, type…).
 */
export async function site(
  f: DocsFixture,
  slug: string,
  versions: Record<string, Record<string, string | Buffer>>,
  fields: Partial<typeof projects.$inferInsert> = {},
  versionFields: Record<string, Parameters<DocsFixture['version']>[2]> = {},
): Promise<{ project: Project; versions: Record<string, Version> }> {
  const project = await f.project(slug, fields);
  const made: Record<string, Version> = {};
  for (const [name, files] of Object.entries(versions)) {
    made[name] = await f.version(project, name, versionFields[name]);
    await f.deploy(project, made[name], files);
  }
  return { project, versions: made };
}

function matches(actual: string, expected: string | RegExp): boolean {
  return typeof expected === 'string' ? actual.includes(expected) : expected.test(actual);
}

/** What differs between a response and an expectation, one line each; empty when it holds. */
export function differences(res: ServingResponse, exp: Omit<ServingExpectation, 'follow'>): string[] {
  const out: string[] = [];
  if (res.status !== exp.status) out.push(`status ${res.status}, expected ${exp.status}`);
  const location = res.headers.location;
  if (exp.location === null && location !== undefined) out.push(`Location ${location}, expected none`);
  if (typeof exp.location === 'string' && location !== exp.location) out.push(`Location ${location}, expected ${exp.location}`);
  if (exp.location instanceof RegExp && !(location !== undefined && exp.location.test(location))) out.push(`Location ${location}, expected to match ${exp.location}`);
  if (exp.body !== undefined && !matches(res.body, exp.body)) out.push(`body ${JSON.stringify(res.body.slice(0, 160))} does not match ${String(exp.body)}`);
  if (exp.notBody !== undefined && matches(res.body, exp.notBody)) out.push(`body must not match ${String(exp.notBody)}`);
  for (const [name, want] of Object.entries(exp.headers ?? {})) {
    const raw = res.headers[name.toLowerCase()];
    const got = Array.isArray(raw) ? raw.join(', ') : raw;
    if (want === null) {
      if (got !== undefined) out.push(`${name}: ${got}, expected absent`);
    } else if (got === undefined) {
      out.push(`${name} absent, expected ${want === true ? 'present' : String(want)}`);
    } else if (typeof want === 'string' ? got !== want : want instanceof RegExp ? !want.test(got) : false) {
      out.push(`${name}: ${got}, expected ${String(want)}`);
    }
  }
  return out;
}

/** Follows same-host redirects from a first answer; the last answer and the URLs visited. */
async function follow(port: number, req: ServingRequest & { host: string }, first: ServingResponse, maxHops: number): Promise<{ res: ServingResponse; hops: string[] }> {
  let res = first;
  let current = new URL(`http://${req.host}${req.path}`);
  const hops = [current.href];
  for (let i = 0; i < maxHops && res.status >= 300 && res.status < 400 && res.headers.location; i++) {
    const next = new URL(res.headers.location, current);
    if (next.host !== current.host) break;
    current = next;
    hops.push(next.href);
    res = await send(port, { ...req, host: next.host, path: next.pathname + next.search, headers: { ...req.headers, ...(next.protocol === 'https:' ? { 'x-forwarded-proto': 'https' } : {}) } });
  }
  if (res.status >= 300 && res.status < 400 && res.headers.location) {
    const next = new URL(res.headers.location, current);
    if (next.host === current.host) hops.push(`… still redirecting after ${maxHops} hops`);
  }
  return { res, hops };
}

/** Runs a table: one docs server for all its rows, one subtest per row. */
export function servingTable(title: string, table: ServingTable): void {
  describe(title, () => {
    let f: DocsFixture;
    before(async () => {
      f = await docsFixture({ trustProxy: ['127.0.0.1'], ...table.options });
      await table.setup?.(f);
      await f.listen();
    });
    after(() => f?.close());
    for (const row of table.rows) {
      const host = row.request.host ?? table.host;
      const label = `${row.name} — ${row.request.method ?? 'GET'} ${host}${row.request.path}`;
      test(label, { todo: row.todo }, async () => {
        if (!host) throw new Error(`row "${row.name}" names no host and the table has none`);
        await row.setup?.(f);
        const req = { ...row.request, host };
        const res = await send(f.port, req);
        const problems = differences(res, row.expect);
        if (row.expect.follow) {
          const { res: last, hops } = await follow(f.port, req, res, row.expect.follow.maxHops ?? 10);
          const more = differences(last, row.expect.follow);
          if (more.length) problems.push(`after following ${hops.join(' → ')}: ${more.join('; ')}`);
        }
        assert.deepEqual(problems, [], `${label}\n  ${problems.join('\n  ')}`);
      });
    }
  });
}
