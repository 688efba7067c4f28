// The one stylesheet of the builtin theme, written to _static/bindery.css.
// System fonts only and no external requests: sites must render offline, behind
// firewalls, and without leaking readers' IPs to a font CDN.

export const STYLESHEET = `/* Bindery builtin theme */
:root {
  color-scheme: light dark;
  --bg: #ffffff;
  --fg: #1f2328;
  --muted: #59636e;
  --border: #d1d9e0;
  --sidebar-bg: #f6f8fa;
  --accent: #0b5fbf;
  --code-bg: #f0f2f5;
  --current-bg: #dde9f8;
  --sidebar-width: 17rem;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  line-height: 1.6;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0f1216;
    --fg: #e6e9ed;
    --muted: #9aa4af;
    --border: #2d333b;
    --sidebar-bg: #161b22;
    --accent: #6cb0ff;
    --code-bg: #1c2128;
    --current-bg: #1f3350;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg); }
a { color: var(--accent); text-underline-offset: 0.15em; }
a:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }

.skip-link { position: absolute; left: -999px; top: 0; padding: 0.5rem 1rem; background: var(--bg); z-index: 10; }
.skip-link:focus { left: 0.5rem; top: 0.5rem; }

.site-header { display: flex; align-items: center; padding: 0.75rem 1.5rem; border-bottom: 1px solid var(--border); }
.site-name { font-weight: 650; font-size: 1.15rem; color: var(--fg); text-decoration: none; }

.layout { display: flex; align-items: flex-start; max-width: 90rem; margin: 0 auto; }
.sidebar {
  flex: 0 0 var(--sidebar-width); position: sticky; top: 0; max-height: 100vh; overflow-y: auto;
  padding: 1.25rem 1rem 2rem; background: var(--sidebar-bg); border-right: 1px solid var(--border);
  font-size: 0.925rem;
}
.sidebar ul { list-style: none; margin: 0; padding: 0; }
.sidebar ul ul { padding-left: 0.85rem; border-left: 1px solid var(--border); margin: 0.15rem 0 0.5rem 0.35rem; }
.sidebar li { margin: 0.1rem 0; }
.sidebar a { display: block; padding: 0.2rem 0.5rem; border-radius: 0.3rem; color: var(--fg); text-decoration: none; }
.sidebar a:hover { background: var(--current-bg); }
.sidebar a[aria-current="page"] { background: var(--current-bg); color: var(--accent); font-weight: 600; }
.sidebar a.external::after { content: " \\2197"; color: var(--muted); }
.nav-section-title { display: block; padding: 0.5rem 0.5rem 0.1rem; font-weight: 650; color: var(--muted); font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.04em; }

main { flex: 1 1 auto; min-width: 0; max-width: 52rem; padding: 1.5rem 2.5rem 3rem; }
main h1, main h2, main h3, main h4 { line-height: 1.25; margin: 1.8em 0 0.6em; }
main h1 { font-size: 2rem; margin-top: 0.5rem; }
main h2 { font-size: 1.5rem; padding-bottom: 0.25em; border-bottom: 1px solid var(--border); }
main h3 { font-size: 1.2rem; }
.headerlink { margin-left: 0.35em; color: var(--muted); text-decoration: none; opacity: 0; }
:is(h1, h2, h3, h4, h5, h6):hover .headerlink, .headerlink:focus { opacity: 1; }
main img, main video { max-width: 100%; height: auto; }
main code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.875em; background: var(--code-bg); padding: 0.1em 0.35em; border-radius: 0.25rem; }
main pre { background: var(--code-bg); padding: 0.9rem 1rem; border-radius: 0.4rem; overflow-x: auto; line-height: 1.45; }
main pre code { background: none; padding: 0; font-size: 0.85rem; }
main blockquote { margin: 1rem 0; padding: 0.1rem 1rem; border-left: 0.25rem solid var(--border); color: var(--muted); }
main table { border-collapse: collapse; display: block; overflow-x: auto; margin: 1rem 0; }
main th, main td { border: 1px solid var(--border); padding: 0.4rem 0.75rem; text-align: left; }
main th { background: var(--sidebar-bg); }
main hr { border: 0; border-top: 1px solid var(--border); margin: 2rem 0; }

.pager { display: flex; justify-content: space-between; gap: 1rem; margin-top: 3rem; padding-top: 1.25rem; border-top: 1px solid var(--border); }
.pager a { display: flex; flex-direction: column; max-width: 48%; padding: 0.6rem 0.9rem; border: 1px solid var(--border); border-radius: 0.4rem; text-decoration: none; }
.pager a:hover { border-color: var(--accent); }
.pager .pager-next { margin-left: auto; text-align: right; }
.pager-label { font-size: 0.8rem; color: var(--muted); }

.site-footer { padding: 1.5rem; border-top: 1px solid var(--border); color: var(--muted); font-size: 0.85rem; text-align: center; }

@media (max-width: 50rem) {
  .layout { display: block; }
  .sidebar { position: static; max-height: none; border-right: 0; border-bottom: 1px solid var(--border); }
  main { padding: 1.25rem 1rem 2rem; }
}
@media print {
  .sidebar, .pager, .skip-link, .site-footer { display: none; }
  main { max-width: none; padding: 0; }
}
`;
