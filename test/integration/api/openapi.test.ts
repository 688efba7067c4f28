// GET /api/v3/openapi.json: public; every /api/v3 route the router has is in it with the
// same methods (and nothing else); it is a structurally valid OpenAPI 3 document; its
// request schemas are the ones that validate requests (a body missing a field the document
// marks required is refused naming that field, on every route); every route's answers are
// described, and real answers of a few routes validate against those descriptions.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { apiClient, importProject } from '../../helpers/api-client.ts';
import { makeGitRepo } from '../../helpers/git-repo.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';
import { apiPath } from '../../../src/web/api/openapi.ts';
import { successResponses } from '../../../src/web/api/response-schemas.ts';
import { createProject } from '../../../src/db/projects.ts';

let app: TestApp;
type Doc = Record<string, any>;
let doc: Doc;

before(async () => {
  app = await testApp({ builder: false });
  // The project the path placeholders name (`{project}` → x): writes check the maintainer before anything else.
  await createProject(app.database.db, { slug: 'x', name: 'x', repoUrl: 'https://git.example.org/x.git', defaultBranch: null }, app.user.id);
  const res = await app.web.inject({ url: '/api/v3/openapi.json' });
  assert.equal(res.statusCode, 200, 'public: no token needed');
  doc = res.json();
});
after(() => app.close());

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** The router's own routes (`printRoutes` draws a tree): path without trailing slash → methods. */
function routerRoutes(tree: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^((?:[│ ] {3}|[├└]── )*)(\S.*?)(?: \(([A-Z, ]+)\))?$/u.exec(line);
    if (!m || !m[2]) continue;
    const depth = [...m[1]!].length / 4;
    const segment = m[2];
    stack.length = depth;
    const parent = depth > 1 ? stack[depth - 1]! : '';
    const full = depth === 1 ? segment : parent === '/' ? `/${segment}` : parent + segment;
    stack[depth] = full;
    if (m[3]) out.set(full.replace(/(.)\/$/, '$1'), new Set(m[3].split(', ').filter((x) => x !== 'HEAD')));
  }
  return out;
}

function resolveRef(ref: string): unknown {
  assert.match(ref, /^#\//, `only local refs: ${ref}`);
  return ref
    .slice(2)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<any>((node, key) => node?.[key], doc);
}

test('every /api/v3 route of the router is in the document with its methods, and nothing else', async () => {
  const routes = [...routerRoutes(app.web.printRoutes({ commonPrefix: false }))].filter(([path]) => path === '/api/v3' || path.startsWith('/api/v3/'));
  assert.ok(routes.length >= 20, `found ${routes.length} API routes`);
  const documented = new Map(
    Object.entries(doc.paths as Record<string, object>).map(([path, ops]) => [
      path.replace(/\{([^}]+)\}/g, ':$1').replace(/(.)\/$/, '$1'),
      new Set(Object.keys(ops).filter((k) => METHODS.includes(k)).map((k) => k.toUpperCase())),
    ]),
  );
  // The router also answers, on every path, the methods the path does not take (405, with
  // Allow) and OPTIONS: those are not operations and stay out of the document.
  for (const [path, methods] of routes) {
    if (methods.size === 0) continue;
    const ops = documented.get(path) ?? new Set<string>();
    for (const m of ops) assert.ok(methods.has(m), `${path}: documented ${m} the router lacks`);
    assert.ok(ops.size > 0, `${path}: in the router, not in the document`);
    const url = path.replace(/:([A-Za-z_]+)/g, (_m, name: string) => (/^(id|redirect|domain|rule|variable|build|token|notification)$/.test(name) ? '1' : 'x')) + '/';
    for (const m of methods) {
      if (ops.has(m) || m === 'OPTIONS') continue;
      const res = await app.web.inject({ method: m as 'PUT', url, headers: app.auth });
      assert.equal(res.statusCode, 405, `${m} ${url}: ${res.body}`);
      assert.deepEqual(res.json(), { detail: `Method "${m}" not allowed.` });
      assert.ok(String(res.headers.allow).split(', ').every((a) => a === 'HEAD' || a === 'OPTIONS' || ops.has(a)), `${m} ${url}: Allow ${res.headers.allow}`);
    }
  }
  assert.deepEqual([...documented.keys()].sort(), routes.filter(([, m]) => m.size > 0).map(([p]) => p).sort(), 'no documented route that the router lacks');
  for (const required of ['/api/v3/projects/:project/redirects/:redirect', '/api/v3/tokens', '/api/v3/projects/:project/domains/:domain/verify', '/api/v3/openapi.json']) {
    assert.ok(documented.has(required), required);
  }
});

test('it is a structurally valid OpenAPI 3 document', () => {
  assert.match(doc.openapi, /^3\.[01]\.\d+$/);
  assert.equal(typeof doc.info?.title, 'string');
  assert.equal(typeof doc.info?.version, 'string');
  assert.ok(doc.paths && typeof doc.paths === 'object');
  const schemes = Object.keys(doc.components?.securitySchemes ?? {});
  const checkSecurity = (security: unknown, where: string) => {
    assert.ok(Array.isArray(security), `${where}: security is a list`);
    for (const requirement of security as object[]) for (const name of Object.keys(requirement)) assert.ok(schemes.includes(name), `${where}: unknown security scheme ${name}`);
  };
  checkSecurity(doc.security, 'root');
  const operationIds = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
    assert.match(path, /^\//, path);
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const [method, op] of Object.entries(item)) {
      assert.ok(METHODS.includes(method), `${path}: ${method} is not an HTTP method`);
      const where = `${method.toUpperCase()} ${path}`;
      assert.equal(typeof op.operationId, 'string', where);
      assert.ok(!operationIds.has(op.operationId), `${where}: duplicate operationId ${op.operationId}`);
      operationIds.add(op.operationId);
      const params = (op.parameters ?? []) as Array<{ name: string; in: string; required?: boolean; schema?: object }>;
      const keys = params.map((p) => `${p.in}:${p.name}`);
      assert.equal(new Set(keys).size, keys.length, `${where}: duplicate parameters`);
      for (const p of params) {
        assert.ok(['query', 'header', 'path', 'cookie'].includes(p.in), `${where}: parameter ${p.name} in ${p.in}`);
        assert.ok(p.schema && typeof p.schema === 'object', `${where}: parameter ${p.name} has a schema`);
        if (p.in === 'path') {
          assert.equal(p.required, true, `${where}: path parameter ${p.name} is required`);
          assert.ok(templated.includes(p.name), `${where}: path parameter ${p.name} is not in the path`);
        }
      }
      for (const name of templated) assert.ok(keys.includes(`path:${name}`), `${where}: {${name}} is not declared`);
      const responses = Object.entries(op.responses ?? {});
      assert.ok(responses.length > 0, `${where}: no responses`);
      for (const [code, response] of responses as Array<[string, any]>) {
        assert.match(code, /^(default|[1-5](\d\d|XX))$/, `${where}: response key ${code}`);
        const resolved = response.$ref ? (resolveRef(response.$ref) as { description?: string }) : response;
        assert.equal(typeof resolved?.description, 'string', `${where}: response ${code} has a description`);
      }
      if (op.requestBody) {
        const content = op.requestBody.content ?? {};
        assert.ok(Object.keys(content).length > 0, `${where}: request body has content`);
        for (const media of Object.values(content) as Array<{ schema?: object }>) assert.ok(media.schema, `${where}: request body has a schema`);
      }
      if (op.security) checkSecurity(op.security, where);
    }
  }
  // Every $ref anywhere points at something in the document.
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === '$ref') assert.ok(resolveRef(v as string) !== undefined, `unresolved ${v}`);
        else walk(v);
      }
    }
  };
  walk(doc);
  assert.deepEqual(doc.paths['/api/v3/openapi.json'].get.security, [{}, { token: [] }], 'the document itself is public');
});

test('the document shows the schemas that validate requests: each required body field is enforced', async () => {
  let checked = 0;
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
    for (const [method, op] of Object.entries(item)) {
      const required: string[] = op.requestBody?.content?.['application/json']?.schema?.required ?? [];
      if (required.length === 0) continue;
      const params = Object.fromEntries((op.parameters ?? []).filter((p: { in: string }) => p.in === 'path').map((p: { name: string; schema: { type?: string } }) => [p.name, p.schema.type === 'integer' ? '1' : 'x']));
      const url = path.replace(/\{([^}]+)\}/g, (_m, name: string) => params[name]);
      const res = await app.web.inject({ method: method.toUpperCase() as 'POST', url, headers: app.auth, payload: {} });
      assert.equal(res.statusCode, 400, `${method} ${url}: ${res.body}`);
      assert.ok(required.some((field) => res.json()[field]), `${method} ${url} names one of ${required}: ${res.body}`);
      checked++;
    }
  }
  assert.ok(checked >= 8, `checked ${checked} routes`);
  const redirects = doc.paths['/api/v3/projects/{project}/redirects/'].post;
  assert.equal(redirects.requestBody.content['application/json'].schema.properties.http_status.type, 'integer');
  assert.equal(redirects.tags[0], 'redirects');
  assert.ok(doc.paths['/api/v3/projects/{project}/builds/'].get.parameters.some((p: { name: string }) => p.name === 'running'));
});

test('the document passes a full OpenAPI schema validator', async () => {
  const { Validator } = await import('@seriousme/openapi-schema-validator');
  const validator = new Validator();
  const result = await validator.validate(structuredClone(doc));
  assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2)?.slice(0, 3000));
  assert.equal(validator.version, '3.1');
});

test('every route describes its success answer and its refusals', () => {
  let described = 0;
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
    for (const [method, op] of Object.entries(item)) {
      const route = path.replace(/\{([^}]+)\}/g, ':$1');
      assert.ok(successResponses(method.toUpperCase(), apiPath(route)), `${method.toUpperCase()} ${route}: no entry in response-schemas.ts`);
      // A route declared only to refuse its method (environment variables' PUT/PATCH) answers 405.
      const success = Object.entries(op.responses as Record<string, any>).filter(([code]) => /^[23]/.test(code) || (code === '405' && !op.responses['200']));
      assert.ok(success.length > 0, `${method} ${path}: no success answer`);
      for (const [code, answer] of success) {
        if (code !== '204') assert.ok(Object.values(answer.content ?? {}).every((m: any) => m.schema), `${method} ${path} ${code}: no schema`);
      }
      assert.ok(op.responses['404'] && op.responses['429'], `${method} ${path}: refusals described`);
      described++;
    }
  }
  assert.ok(described >= 60, `described ${described}`);
});

test('real answers validate against the document', async () => {
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema(doc, 'openapi');
  const check = (res: { statusCode: number; body: string; json(): unknown }, method: string, path: string) => {
    const op = doc.paths[path]?.[method];
    assert.ok(op, `${method} ${path} is documented`);
    const answer = op.responses[String(res.statusCode)];
    assert.ok(answer, `${method} ${path}: status ${res.statusCode} is documented (${res.body.slice(0, 300)})`);
    const resolved = (answer.$ref ? resolveRef(answer.$ref) : answer) as { content?: Record<string, { schema?: object }> };
    if (!resolved.content?.['application/json']?.schema) return;
    const escaped = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');
    const where = answer.$ref ? `openapi${answer.$ref}` : `openapi#/paths/${escaped(path)}/${method}/responses/${res.statusCode}`;
    const validate = ajv.compile({ $ref: `${where}/content/application~1json/schema` });
    assert.ok(validate(res.json()), `${method} ${path} ${res.statusCode}: ${JSON.stringify(validate.errors?.slice(0, 5))} in ${res.body.slice(0, 500)}`);
  };
  const repo = makeGitRepo({ files: { 'docs/index.md': '# Home\n' }, tags: { 'v1.0': { 'docs/index.md': '# One\n' } } });
  try {
    const client = apiClient(app);
    const anonymous = apiClient(app, {});
    const slug = await importProject(client, 'Documented', repo.url);
    const p = (rest = '') => `/api/v3/projects/{project}/${rest}`;
    check(await anonymous.get('/api/v3/'), 'get', '/api/v3/');
    check(await client.get('/api/v3/tokens/'), 'get', '/api/v3/tokens/');
    check(await anonymous.get(`/api/v3/projects/${slug}/`), 'get', p());
    check(await client.get(`/api/v3/projects/${slug}/?expand=active_versions,permissions`), 'get', p());
    check(await client.get('/api/v3/projects/'), 'get', '/api/v3/projects/');
    check(await client.get(`/api/v3/projects/${slug}/builds/`), 'get', p('builds/'));
    check(await client.get(`/api/v3/projects/${slug}/versions/`), 'get', p('versions/'));
    check(await client.get(`/api/v3/projects/${slug}/versions/latest/`), 'get', p('versions/{version}/'));
    const redirect = await client.post(`/api/v3/projects/${slug}/redirects/`, { type: 'page', from_url: '/old.html', to_url: '/new.html' });
    check(redirect, 'post', p('redirects/'));
    check(await client.get(`/api/v3/projects/${slug}/redirects/`), 'get', p('redirects/'));
    check(await client.post(`/api/v3/projects/${slug}/environmentvariables/`, { name: 'DOCUMENTED', value: 'x' }), 'post', p('environmentvariables/'));
    // Refusals in their documented shapes.
    check(await anonymous.post('/api/v3/projects/', {}), 'post', '/api/v3/projects/');
    check(await client.post(`/api/v3/projects/${slug}/redirects/`, {}), 'post', p('redirects/'));
    check(await client.get('/api/v3/projects/no-such-project/versions/'), 'get', p('versions/'));
  } finally {
    repo.remove();
  }
});
