// The same user on both adapters of the domain layer: signed in to the dashboard (a cookie
// session, forms with CSRF) and holding an API token. Parity tests send one input through
// each and assert the same outcome (stored the same, refused naming the same field), so the
// API and the dashboard cannot drift apart again.
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { createToken } from '../../src/db/api-tokens.ts';
import { findUserByUsername } from '../../src/db/users.ts';
import type { User } from '../../src/db/schema.ts';
import { FormClient } from './browserless.ts';
import { apiClient, fieldMessages, type ApiClient } from './api-client.ts';
import type { TestApp } from './test-app.ts';

export interface Twin {
  user: User;
  /** The user's dashboard session. */
  form: FormClient;
  /** The same user's API token. */
  api: ApiClient;
}

/** Signs a new user up through the dashboard and gives the same user an API token. */
export async function twin(app: TestApp, username: string): Promise<Twin> {
  const form = new FormClient(app.web);
  const res = await form.submit('/accounts/signup/', '/accounts/signup/', { username, email: `${username}@example.com`, password: 'correct horse battery' });
  assert.equal(res.statusCode, 303, res.body);
  const user = (await findUserByUsername(app.database.db, username))!;
  const { token } = await createToken(app.database.db, user.id, 'parity', null);
  return { user, form, api: apiClient(app, { authorization: `Token ${token}` }) };
}

/** Posts a form whose fields may repeat (checkboxes), with the CSRF token of `formPage`. */
export async function postForm(form: FormClient, formPage: string, action: string, fields: Record<string, string> | Array<[string, string]>): Promise<LightMyRequestResponse> {
  const csrf = FormClient.csrfOf((await form.get(formPage)).body);
  const pairs = Array.isArray(fields) ? fields : Object.entries(fields);
  return form.app.inject({
    method: 'POST', url: action, payload: new URLSearchParams([...pairs, ['csrf', csrf]]).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [...form.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
}

/**
 * Asserts both adapters refused the same input for the same reason: the API with 400 (or
 * `status`) naming `field`, the dashboard with the same status and the API's message on the page.
 */
export function assertSameRefusal(apiRes: LightMyRequestResponse, pageRes: LightMyRequestResponse, field: string, status = 400): void {
  assert.equal(apiRes.statusCode, status, `API: ${apiRes.body}`);
  const messages = fieldMessages(apiRes.json(), field);
  assert.ok(messages?.length, `the API names ${field}: ${apiRes.body}`);
  assert.equal(pageRes.statusCode, status, `dashboard: ${pageRes.statusCode} ${pageRes.body.slice(0, 500)}`);
  const escaped = (m: string) => m.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  assert.ok(messages.some((m) => pageRes.body.includes(escaped(m)) || pageRes.body.includes(m)), `the dashboard shows the API's message (${messages.join(' | ')})`);
}
