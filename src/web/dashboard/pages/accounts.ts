// Sign up, log in, log out, change password. Sessions live in the database; the cookie
// is HttpOnly, SameSite=Lax, and `__Host-`-prefixed and Secure on https (cookies.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { eq } from 'drizzle-orm';
import { users } from '../../../db/schema.ts';
import { createUser, findUserByUsername } from '../../../db/users.ts';
import { createSession, destroySession, destroyUserSessions } from '../../../db/sessions.ts';
import { html } from '../../html.ts';
import { checkCsrf } from '../csrf.ts';
import { dashboardCookies } from '../cookies.ts';
import { redirect, signedIn, type DashboardContext } from '../context.ts';
import { csrfField, page } from '../layout.ts';
import { hashPassword, passwordProblem, verifyPassword } from '../passwords.ts';
import type { LoginThrottle } from '../throttle.ts';

type Form = Record<string, string | undefined>;

/**
 * Only same-site paths: `next` must not send the user to another host after logging in.
 * Printable ASCII only: browsers drop tabs and newlines (`/\t/evil` is `//evil`), and a
 * Location with other characters cannot be sent at all.
 */
function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[\x21-\x5b\x5d-\x7e]*$/.test(next) ? next : '/dashboard/';
}

async function startSession(request: FastifyRequest, reply: FastifyReply, ctx: DashboardContext, userId: number): Promise<void> {
  const session = await createSession(ctx.db, userId, ctx.sessionLifetimeMs);
  const cookies = dashboardCookies(ctx.publicUrl);
  reply.setCookie(cookies.session, session.id, { ...cookies.options, expires: session.expiresAt });
  void request;
}

export function accountPages(app: FastifyInstance, ctx: DashboardContext, throttle: LoginThrottle): void {
  const signupForm = (request: FastifyRequest, reply: FastifyReply, values: Form, errors: Record<string, string>, status = 200) =>
    page(request, reply, ctx, {
      title: 'Sign up',
      status,
      body: html`<h1>Create your account</h1>
<form class="stack" method="post" action="/accounts/signup/" novalidate>
${csrfField(request, reply, ctx)}
<label>Username <input type="text" name="username" value="${values.username ?? ''}" autocomplete="username" required maxlength="40" aria-describedby="username-hint">
<span class="hint" id="username-hint">Letters, digits, dots, dashes and underscores.</span>
${errors.username ? html`<span class="error" role="alert">${errors.username}</span>` : ''}</label>
<label>Email <input type="email" name="email" value="${values.email ?? ''}" autocomplete="email" required maxlength="254">
${errors.email ? html`<span class="error" role="alert">${errors.email}</span>` : ''}</label>
<label>Password <input type="password" name="password" autocomplete="new-password" required minlength="10">
<span class="hint">At least 10 characters.</span>
${errors.password ? html`<span class="error" role="alert">${errors.password}</span>` : ''}</label>
<button type="submit">Sign up</button>
</form>
<p>Already have an account? <a href="/accounts/login/">Log in</a>.</p>`,
    });

  app.get('/accounts/signup/', (request, reply) => signupForm(request, reply, {}, {}));

  app.post<{ Body: Form }>('/accounts/signup/', async (request, reply) => {
    checkCsrf(request, ctx.publicUrl);
    const username = (request.body.username ?? '').trim();
    const email = (request.body.email ?? '').trim();
    const password = request.body.password ?? '';
    const errors: Record<string, string> = {};
    if (!/^[A-Za-z0-9._-]{2,40}$/.test(username)) errors.username = 'Use 2 to 40 letters, digits, dots, dashes or underscores.';
    else if (await findUserByUsername(ctx.db, username)) errors.username = 'This username is taken.';
    if (!/^[^\s@]{1,64}@[^\s@]{1,190}$/.test(email)) errors.email = 'Enter an email address such as ada@example.com.';
    const problem = passwordProblem(password, username);
    if (problem) errors.password = problem;
    if (Object.keys(errors).length) return signupForm(request, reply, { username, email }, errors, 400);
    const user = await createUser(ctx.db, { username, email });
    await ctx.db.update(users).set({ passwordHash: await hashPassword(password) }).where(eq(users.id, user.id));
    await startSession(request, reply, ctx, user.id);
    return redirect(reply, '/dashboard/?notice=' + encodeURIComponent(`Welcome, ${username}! Import a project to get started.`));
  });

  const loginForm = (request: FastifyRequest, reply: FastifyReply, values: Form, error: string | null, status = 200) =>
    page(request, reply, ctx, {
      title: 'Log in',
      status,
      body: html`<h1>Log in</h1>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form class="stack" method="post" action="/accounts/login/">
${csrfField(request, reply, ctx)}
<input type="hidden" name="next" value="${safeNext(values.next)}">
<label>Username <input type="text" name="username" value="${values.username ?? ''}" autocomplete="username" required></label>
<label>Password <input type="password" name="password" autocomplete="current-password" required></label>
<button type="submit">Log in</button>
</form>
<p>No account yet? <a href="/accounts/signup/">Sign up</a>.</p>`,
    });

  app.get<{ Querystring: Form }>('/accounts/login/', (request, reply) => loginForm(request, reply, { next: request.query.next }, null));

  app.post<{ Body: Form }>('/accounts/login/', async (request, reply) => {
    checkCsrf(request, ctx.publicUrl);
    const username = (request.body.username ?? '').trim().slice(0, 100);
    const password = (request.body.password ?? '').slice(0, 1000);
    const wait = throttle.retryAfter(username, request.ip);
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      return loginForm(request, reply, { username, next: request.body.next }, `Too many failed attempts. Try again in ${Math.ceil(wait / 60)} minute${wait > 60 ? 's' : ''}.`, 429);
    }
    const user = await findUserByUsername(ctx.db, username);
    if (!(await verifyPassword(password, user?.passwordHash ?? null)) || !user) {
      throttle.fail(username, request.ip);
      return loginForm(request, reply, { username, next: request.body.next }, 'The username or the password is not right.', 400);
    }
    throttle.succeed(username);
    await startSession(request, reply, ctx, user.id);
    return redirect(reply, safeNext(request.body.next));
  });

  app.post<{ Body: Form }>('/accounts/logout/', async (request, reply) => {
    checkCsrf(request, ctx.publicUrl);
    if (request.session) await destroySession(ctx.db, request.session.id);
    const cookies = dashboardCookies(ctx.publicUrl);
    reply.clearCookie(cookies.session, cookies.options);
    return redirect(reply, '/?notice=' + encodeURIComponent('You are logged out.'));
  });

  const passwordForm = (request: FastifyRequest, reply: FastifyReply, error: string | null, status = 200) =>
    page(request, reply, ctx, {
      title: 'Change password',
      status,
      body: html`<h1>Change your password</h1>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form class="stack" method="post" action="/accounts/password/">
${csrfField(request, reply, ctx)}
<label>Current password <input type="password" name="current" autocomplete="current-password" required></label>
<label>New password <input type="password" name="password" autocomplete="new-password" required minlength="10"></label>
<button type="submit">Change password</button>
</form>`,
    });

  app.get('/accounts/password/', (request, reply) => {
    signedIn(request);
    return passwordForm(request, reply, null);
  });

  app.post<{ Body: Form }>('/accounts/password/', async (request, reply) => {
    const user = signedIn(request);
    checkCsrf(request, ctx.publicUrl);
    if (!(await verifyPassword(request.body.current ?? '', user.passwordHash))) return passwordForm(request, reply, 'The current password is not right.', 400);
    const problem = passwordProblem(request.body.password ?? '', user.username);
    if (problem) return passwordForm(request, reply, problem, 400);
    await ctx.db.update(users).set({ passwordHash: await hashPassword(request.body.password!) }).where(eq(users.id, user.id));
    // Other sessions (a stolen cookie, another browser) end with the old password.
    await destroyUserSessions(ctx.db, user.id, request.session!.id);
    return redirect(reply, '/dashboard/?notice=' + encodeURIComponent('Your password was changed.'));
  });
}
