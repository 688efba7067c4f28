// A cookie-keeping client for the dashboard through app.inject: sign up, log in, submit
// forms with their CSRF token — what a browser does, without one.
import type { FastifyInstance } from 'fastify';

export class FormClient {
  readonly app: FastifyInstance;
  readonly cookies = new Map<string, string>();

  constructor(app: FastifyInstance) {
    this.app = app;
  }

  #cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  #keep(setCookie: string | string[] | undefined): void {
    for (const c of ([] as string[]).concat(setCookie ?? [])) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (/Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(c) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async get(url: string) {
    const res = await this.app.inject({ url, headers: { cookie: this.#cookieHeader() } });
    this.#keep(res.headers['set-cookie']);
    return res;
  }

  /** The CSRF token in a page's first form. */
  static csrfOf(body: string): string {
    const m = /name="csrf" value="([^"]+)"/.exec(body);
    if (!m) throw new Error('no CSRF field on the page');
    return m[1]!;
  }

  /** Loads `formPage`, then posts `fields` (plus its CSRF token) to `action`. */
  async submit(formPage: string, action: string, fields: Record<string, string>, opts: { csrf?: string | null; headers?: Record<string, string> } = {}) {
    const pageRes = await this.get(formPage);
    const csrf = opts.csrf === undefined ? FormClient.csrfOf(pageRes.body) : opts.csrf;
    const form = new URLSearchParams({ ...fields, ...(csrf === null ? {} : { csrf }) });
    const res = await this.app.inject({
      method: 'POST', url: action, payload: form.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: this.#cookieHeader(), ...(opts.headers ?? {}) },
    });
    this.#keep(res.headers['set-cookie']);
    return res;
  }
}
