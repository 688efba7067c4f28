// The dashboard's two cookies (the session and the pre-login CSRF token), named and scoped
// in one place. With an https PUBLIC_URL they carry the `__Host-` prefix: a browser keeps
// such a cookie only when this exact host set it Secure, with Path=/ and no Domain, so a
// page on a sibling host (a project's docs under the same parent domain) cannot plant one
// that the dashboard would read ("cookie tossing"). Over http browsers refuse the prefix,
// so the plain names stay; `bindery serve` warns when that is risky (core/cookie-scope.ts).
import type { CookieSerializeOptions } from '@fastify/cookie';

export interface DashboardCookies {
  session: string;
  csrf: string;
  /** Options for setting and clearing both: a `__Host-` cookie must be cleared with the same ones. */
  options: CookieSerializeOptions;
}

/** The cookie names and attributes for a dashboard served at `publicUrl`. */
export function dashboardCookies(publicUrl: string): DashboardCookies {
  const secure = publicUrl.startsWith('https:');
  const prefix = secure ? '__Host-' : '';
  return {
    session: `${prefix}bindery_session`,
    csrf: `${prefix}bindery_csrf`,
    options: { path: '/', httpOnly: true, sameSite: 'lax', secure },
  };
}
