// Signed-in reading of private docs on a docs host, which never sees the dashboard's cookie.
// The dashboard (`/_/docs-login/`, domain/docs-login.ts) hands a signed-in user a one-time
// token, bound to one docs host and valid for a minute, in a redirect to `<host>/_/auth/`;
// this host trades it (once, and only on the host it was made for) for a session cookie of its
// own: HttpOnly, host-only, `__Host-` and Secure on https. A private page then asks — only then,
// never on a public page — which user the cookie names and whether they may read the project
// (its maintainers, as domain/access.ts rules), and serves it `private`, never to a CDN.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isMaintainer } from '../db/projects.ts';
import { createDocsSession, sessionUser, takeHandoff } from '../db/docs-sessions.ts';
import type { Db } from '../db/database.ts';
import type { User } from '../db/schema.ts';
import type { ServedVersion } from '../db/serving.ts';
import type { Exchange } from './exchange.ts';
import { markPrivate } from './headers.ts';
import { sendNotFound } from './not-found.ts';
import { isServable } from './resolver.ts';

/** How long a reader stays signed in on one docs host. */
export const READER_SESSION_MS = 12 * 60 * 60 * 1000;
/** What private answers carry: the reader's browser may keep them, revalidated; no shared cache may. */
export const PRIVATE_CACHE_CONTROL = 'private, no-cache';
/** HTML text of a value (the docs server has no templates: these two pages are all). */
const esc = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The largest cookie value read (ids are 43 characters). */
const MAX_ID = 100;

/** The docs session cookie's name: `__Host-` on https, where the browser then refuses one set by any other host. */
export const readerCookieName = (secure: boolean) => (secure ? '__Host-bindery_docs_session' : 'bindery_docs_session');

/** The docs host of a request: lower case, without port or trailing dot (what handoffs and sessions are bound to). */
export const hostKey = (request: FastifyRequest) => request.hostname.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');

/** One cookie of the request by name, without a cookie parser (the docs server has none). */
function cookie(request: FastifyRequest, name: string): string | null {
  const header = request.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return value && value.length <= MAX_ID && /^[A-Za-z0-9_-]+$/.test(value) ? value : null;
    }
  }
  return null;
}

/** A same-host path to land on: absolute path only, printable ASCII, never `//host` or `/\host`. */
export function safeDocsPath(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[\x21-\x5b\x5d-\x7e]*$/.test(next) ? next : '/';
}

/** The docs server's part: trading handoffs and reading sessions, with the database and the dashboard's address. */
export class ReaderSessions {
  readonly #db: Db;
  /** The dashboard's origin, for the "Log in to read" link; null: no link (a docs-only test server). */
  readonly publicUrl: string | null;

  constructor(db: Db, publicUrl: string | null) {
    this.#db = db;
    this.publicUrl = publicUrl ? publicUrl.replace(/\/+$/, '') : null;
  }

  /**
   * `GET /_/auth/?token=…&next=/path`: the handoff is spent whatever the outcome; a valid one
   * for this host becomes a session cookie and a redirect to the path on this same host.
   */
  async trade(request: FastifyRequest, reply: FastifyReply, query: string, secure: boolean): Promise<FastifyReply> {
    const params = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query);
    const token = params.get('token') ?? '';
    // The token must not linger in a Referer or a cache.
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    markPrivate(reply);
    const user = token && token.length <= MAX_ID ? await takeHandoff(this.#db, token, hostKey(request)) : null;
    if (!user) {
      return reply.code(403).header('content-type', 'text/html; charset=utf-8')
        .send('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Link expired</title></head><body><h1>This sign-in link is used or expired</h1>' +
          '<p>Go back to the page and choose “Log in to read” again.</p></body></html>\n');
    }
    const session = await createDocsSession(this.#db, 'session', user.id, hostKey(request), READER_SESSION_MS);
    const attributes = [`${readerCookieName(secure)}=${session.id}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Expires=${session.expiresAt.toUTCString()}`, ...(secure ? ['Secure'] : [])];
    return reply.header('set-cookie', attributes.join('; ')).redirect(safeDocsPath(params.get('next')), 302);
  }

  /** The user this request's docs session names on this host; null without a cookie (no query then). */
  async reader(request: FastifyRequest, secure: boolean): Promise<User | null> {
    const id = cookie(request, readerCookieName(secure));
    if (!id) return null;
    return sessionUser(this.#db, id, hostKey(request));
  }

  /**
   * Whether the request's reader may read this private project: a maintainer of it (Read the
   * Docs' rule, domain/access.ts). Asked only for private projects and versions; answered once
   * per request and project. A yes marks the answer private (never kept by a CDN).
   */
  async mayRead(request: FastifyRequest, reply: FastifyReply, secure: boolean, projectId: number): Promise<boolean> {
    const memo = (readerMemo.get(request) ?? readerMemo.set(request, new Map()).get(request))!;
    let answer = memo.get(projectId);
    if (answer === undefined) {
      const user = await this.reader(request, secure);
      answer = user !== null && (await isMaintainer(this.#db, projectId, user.id));
      memo.set(projectId, answer);
    }
    if (answer) {
      markPrivate(reply);
      reply.header('cache-control', PRIVATE_CACHE_CONTROL);
    }
    return answer;
  }

  /** The dashboard URL that signs the reader in to this page, or null when the dashboard's address is unknown. */
  loginUrl(request: FastifyRequest, secure: boolean): string | null {
    if (!this.publicUrl) return null;
    const here = `${secure ? 'https' : 'http'}://${request.host}${request.raw.url ?? '/'}`;
    return `${this.publicUrl}/_/docs-login/?next=${encodeURIComponent(here)}`;
  }

  /**
   * The answer for a private page the reader may not read: the same 404 as any missing page
   * (the project's existence does not leak further), with a "Log in to read" link; never cached.
   */
  sendLoginNeeded(request: FastifyRequest, reply: FastifyReply, secure: boolean): FastifyReply {
    const login = this.loginUrl(request, secure);
    markPrivate(reply);
    return reply.code(404).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache')
      .send('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found</title></head><body><h1>Not found</h1>' +
        `<p>There is no documentation page at this address, or it is private.</p>${login ? `<p><a href="${esc(login)}">Log in to read</a></p>` : ''}</body></html>\n`);
  }
}

const readerMemo = new WeakMap<FastifyRequest, Map<number, boolean>>();

// The request flow's side (docs/handler.ts): small enough to be one call at each place.

/** Whether this exchange's reader may read the private project (a database query only the first time it is asked). */
export async function mayReadPrivate(x: Exchange, project: { id: number }): Promise<boolean> {
  return x.ctx.readers ? x.ctx.readers.mayRead(x.request, x.reply, x.scheme === 'https', project.id) : false;
}

/** The 404 of a private page with its "Log in to read" link. */
export function sendLoginNeeded(x: Exchange): FastifyReply | Promise<FastifyReply> {
  return x.ctx.readers ? x.ctx.readers.sendLoginNeeded(x.request, x.reply, x.scheme === 'https') : sendNotFound(x.request, x.reply, x.ctx.storage);
}

/** isServable, with a private version served too when the reader may read it. */
export function servableTo(v: ServedVersion | null, preview: string | null, readerMayRead: boolean): v is ServedVersion & { liveBuildId: number } {
  return isServable(v !== null && readerMayRead ? { ...v, privacyLevel: 'public' } : v, preview);
}

/** Send options of a file only a signed-in reader sees: never cached as public. */
export const privateSend = (readerMayRead: boolean) => (readerMayRead ? { cacheControl: PRIVATE_CACHE_CONTROL } : {});
