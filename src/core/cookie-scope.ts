// Whether documentation pages could plant cookies that the dashboard reads. A page on
// `<slug>.<DOCS_DOMAIN>` may set a cookie for any parent domain of its host short of a
// public suffix, and the browser then sends it to every host under that parent — the
// dashboard's too, if it is one. Without a public-suffix list the rule is conservative:
// a shared parent of two labels or more counts (`example.com`); `localhost` does not.

/** The parent domain the docs hosts and the dashboard host share, when cookies could be tossed across; else null. */
export function sharedCookieParent(dashboardHost: string, docsDomain: string): string | null {
  const labels = (name: string) => name.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '').split('.').filter(Boolean);
  const web = labels(dashboardHost);
  // The docs hosts are one label below the docs domain; the shared part is what both end with.
  const docs = ['project', ...labels(docsDomain)];
  if (web.length === 0 || web.every((l) => /^\d+$/.test(l)) || dashboardHost.includes('[')) return null;
  const shared: string[] = [];
  for (let i = 1; i <= Math.min(web.length, docs.length); i++) {
    if (web[web.length - i] !== docs[docs.length - i]) break;
    shared.unshift(web[web.length - i]!);
  }
  return shared.length >= 2 ? shared.join('.') : null;
}
