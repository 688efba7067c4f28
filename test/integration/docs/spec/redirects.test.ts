// User redirects as Read the Docs serves them (proxito): which rule answers which request,
// in which order against files, trailing slashes and 404s — and never a loop.
import { page, servingTable, site } from '../../../helpers/serving-table.ts';

servingTable('user redirects', {
  host: 'guide.docs.localhost',
  async setup(f) {
    const { project: guide } = await site(f, 'guide', {
      latest: { 'index.html': page('guide latest home'), 'page.html': page('guide latest page'), 'forced.html': page('guide forced file'), '404.html': page('guide latest 404') },
    });
    await f.redirect(guide, { type: 'page', fromUrl: '/moved.html', toUrl: '/page.html' });
    await f.redirect(guide, { type: 'page', fromUrl: '/forced.html', toUrl: '/page.html', force: true });
  },
  rows: [
    { name: 'a page rule answers a missing page of a version', request: { path: '/en/latest/moved.html' }, expect: { status: 302, location: '/en/latest/page.html' } },
    { name: 'a forced rule wins over a file that exists', request: { path: '/en/latest/forced.html' }, expect: { status: 302, location: '/en/latest/page.html' } },
    { name: 'no rule: the 404 page', request: { path: '/en/latest/nothing.html' }, expect: { status: 404, body: 'guide latest 404', location: null } },
  ],
});
