// The one schema of Bindery, for PostgreSQL and PGlite alike. Migrations in drizzle/
// are generated from this file by drizzle-kit (`npm run db:generate`); never edit them by hand.
import { sql } from 'drizzle-orm';
import {
  bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  username: text('username').notNull(),
  email: text('email').notNull().default(''),
  passwordHash: text('password_hash'),
  isAdmin: boolean('is_admin').notNull().default(false),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('users_username_key').on(t.username)]);

export const apiTokens = pgTable('api_tokens', {
  id: serial('id').primaryKey(),
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  /** sha256 of the token: tokens are 256 random bits, so a fast hash is enough. */
  tokenHash: text('token_hash').notNull(),
  /** First characters of the token, to tell tokens apart in lists. */
  prefix: text('prefix').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('api_tokens_token_hash_key').on(t.tokenHash)]);

export const projects = pgTable('projects', {
  id: serial('id').primaryKey(),
  slug: text('slug').notNull(),
  name: text('name').notNull(),
  repoUrl: text('repo_url').notNull(),
  repoType: text('repo_type').notNull().default('git'),
  defaultBranch: text('default_branch'),
  defaultVersion: text('default_version').notNull().default('latest'),
  language: text('language').notNull().default('en'),
  privacyLevel: text('privacy_level').notNull().default('public'),
  singleVersion: boolean('single_version').notNull().default(false),
  documentationType: text('documentation_type').notNull().default('auto'),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('projects_slug_key').on(t.slug)]);

export const projectMaintainers = pgTable('project_maintainers', {
  projectId: integer('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
}, (t) => [primaryKey({ columns: [t.projectId, t.userId] }), index('project_maintainers_user_idx').on(t.userId)]);

export const versions = pgTable('versions', {
  id: serial('id').primaryKey(),
  projectId: integer('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
  slug: text('slug').notNull(),
  verboseName: text('verbose_name').notNull(),
  /** branch | tag | external */
  type: text('type').notNull(),
  /** The git ref the version follows (branch or tag name). */
  identifier: text('identifier').notNull(),
  /** The commit the ref pointed at when versions were last synced. */
  commit: text('commit'),
  /** latest and stable are machine versions: Bindery moves them, users do not. */
  machine: boolean('machine').notNull().default(false),
  active: boolean('active').notNull().default(false),
  hidden: boolean('hidden').notNull().default(false),
  privacyLevel: text('privacy_level').notNull().default('public'),
  built: boolean('built').notNull().default(false),
  /** The build whose files readers get; deploying flips this pointer. */
  liveBuildId: integer('live_build_id'),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('versions_project_slug_key').on(t.projectId, t.slug)]);

export const builds = pgTable('builds', {
  id: serial('id').primaryKey(),
  projectId: integer('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
  versionId: integer('version_id').notNull().references(() => versions.id, { onDelete: 'cascade' }),
  /** triggered → cloning → building → uploading → finished | failed | cancelled */
  state: text('state').notNull().default('triggered'),
  success: boolean('success'),
  errorCode: text('error_code'),
  error: text('error'),
  commit: text('commit'),
  /** user | api | webhook | sync | startup */
  trigger: text('trigger').notNull(),
  builder: text('builder'),
  /** What the build read from the repository's configuration. */
  config: jsonb('config'),
  createdAt: createdAt(),
  startedAt: timestamp('started_at', { withTimezone: true }),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
}, (t) => [
  index('builds_project_idx').on(t.projectId, t.id),
  index('builds_version_idx').on(t.versionId, t.id),
  index('builds_pending_idx').on(t.id).where(sql`state = 'triggered'`),
]);

export const buildSteps = pgTable('build_steps', {
  id: serial('id').primaryKey(),
  buildId: integer('build_id').notNull().references(() => builds.id, { onDelete: 'cascade' }),
  position: integer('position').notNull(),
  name: text('name').notNull(),
  command: text('command').notNull(),
  exitCode: integer('exit_code'),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
}, (t) => [uniqueIndex('build_steps_build_position_key').on(t.buildId, t.position)]);

export const buildLogLines = pgTable('build_log_lines', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  buildId: integer('build_id').notNull().references(() => builds.id, { onDelete: 'cascade' }),
  /** Position of the line within its build, given by the builder so redelivery is idempotent. */
  seq: integer('seq').notNull(),
  step: integer('step'),
  /** stdout | stderr | info */
  stream: text('stream').notNull(),
  line: text('line').notNull(),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('build_log_lines_build_seq_key').on(t.buildId, t.seq)]);

export type User = typeof users.$inferSelect;
export type Project = typeof projects.$inferSelect;
export type Version = typeof versions.$inferSelect;
export type Build = typeof builds.$inferSelect;
export type BuildStep = typeof buildSteps.$inferSelect;
export type BuildLogLine = typeof buildLogLines.$inferSelect;
