// docsFixture(): a docs server on a fresh database and storage folder, with projects,
// versions and deployed builds made directly through the db functions (no git, no builder),
// so serving tests can set up any shape of site in milliseconds.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { artifactPrefix } from '../../src/core/build-state.ts';
import { finishBuild } from '../../src/db/builds.ts';
import { builds, domains, projects, redirects, subprojects, versions, type Project, type Version } from '../../src/db/schema.ts';
import { createDocsApp, type DocsAppOptions } from '../../src/docs/app.ts';
import { FilesystemStorage } from '../../src/storage/filesystem.ts';
import { testDatabase, type TestDatabase } from './test-db.ts';

export interface DocsFixture {
  database: TestDatabase;
  storage: FilesystemStorage;
  docs: FastifyInstance;
  docsDomain: string;
  /** Set once listen() ran. */
  port: number;
  listen(): Promise<number>;
  project(slug: string, fields?: Partial<typeof projects.$inferInsert>): Promise<Project>;
  version(project: Project, slug: string, fields?: Partial<typeof versions.$inferInsert>): Promise<Version>;
  /** Stores files as a new successful build of the version and makes it live; returns the build id. */
  deploy(project: Project, version: Version, files: Record<string, string | Buffer>, formats?: Record<string, Buffer | string>): Promise<number>;
  redirect(project: Project, fields: Partial<typeof redirects.$inferInsert> & { type: string }): Promise<void>;
  domain(project: Project, domain: string, verified: boolean): Promise<void>;
  subproject(parent: Project, child: Project, alias: string): Promise<void>;
  close(): Promise<void>;
}

export async function docsFixture(options: Partial<Omit<DocsAppOptions, 'db' | 'storage' | 'log'>> = {}): Promise<DocsFixture> {
  const database = await testDatabase();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bindery-docs-'));
  const storage = new FilesystemStorage(root);
  const docsDomain = options.docsDomain ?? 'docs.localhost';
  const docs = await createDocsApp({ db: database.db, storage, docsDomain, previewDomain: 'previews.localhost', log: false, cacheTtlMs: 0, ...options });
  const db = database.db;
  const fixture: DocsFixture = {
    database, storage, docs, docsDomain, port: 0,
    async listen() {
      await docs.listen({ port: 0, host: '127.0.0.1' });
      fixture.port = (docs.server.address() as AddressInfo).port;
      return fixture.port;
    },
    async project(slug, fields = {}) {
      const [p] = await db.insert(projects).values({ slug, name: slug, repoUrl: `https://example.com/${slug}.git`, ...fields }).returning();
      return p!;
    },
    async version(project, slug, fields = {}) {
      const [v] = await db
        .insert(versions)
        .values({ projectId: project.id, slug, verboseName: slug, type: 'branch', identifier: slug, active: true, ...fields })
        .returning();
      return v!;
    },
    async deploy(project, version, files, formats = {}) {
      const [build] = await db.insert(builds).values({ projectId: project.id, versionId: version.id, trigger: 'api', state: 'uploading' }).returning();
      if (!build) throw new Error('no build row');
      const prefix = artifactPrefix(project.slug, version.slug, build.id);
      for (const [name, body] of Object.entries(files)) await storage.put(`${prefix}/${name}`, body);
      for (const [format, body] of Object.entries(formats)) {
        const ext = format === 'htmlzip' ? 'zip' : format;
        await storage.put(`${artifactPrefix(project.slug, version.slug, build.id, format)}/${project.slug}.${ext}`, body);
      }
      await finishBuild(db, build.id, { success: true, formats: Object.keys(formats) });
      return build.id;
    },
    async redirect(project, fields) {
      await db.insert(redirects).values({ projectId: project.id, ...fields });
    },
    async domain(project, domain, verified) {
      await db.insert(domains).values({ projectId: project.id, domain, verificationToken: 'token', verifiedAt: verified ? new Date() : null });
    },
    async subproject(parent, child, alias) {
      await db.insert(subprojects).values({ parentId: parent.id, childId: child.id, alias });
    },
    async close() {
      await docs.close();
      await database.drop();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
  return fixture;
}
