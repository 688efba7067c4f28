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
  /** Set when this project is the translation (its `language`) of another project. */
  translationOfId: integer('translation_of_id'),
  /** A short description shown on the dashboard and in the API. */
  description: text('description').notNull().default(''),
  /** Credentials taken out of the repository URL (`user:token`), a secret: never shown back, masked in logs. */
  repoCredentials: text('repo_credentials'),
  /** Pull-request previews (Read the Docs' `external_builds_enabled`): off unless the maintainers turn them on. */
  externalBuildsEnabled: boolean('external_builds_enabled').notNull().default(false),
  /** public | private: who may read pull-request previews. */
  externalBuildsPrivacyLevel: text('external_builds_privacy_level').notNull().default('public'),
  /** The project's home page (Read the Docs' `homepage`); '' when none. */
  homepage: text('homepage').notNull().default(''),
  /** Free-form tags, in the order given. */
  tags: jsonb('tags').$type<string[]>().notNull().default([]),
  /** A code of Read the Docs' programming language list (`words` when there is no code). */
  programmingLanguage: text('programming_language').notNull().default('words'),
  /** Where the build reads its configuration; null: `.readthedocs.yaml` at the repository's root. */
  readthedocsYamlPath: text('readthedocs_yaml_path'),
  /** Show readers of an old version a banner pointing at the newest one. */
  showVersionWarning: boolean('show_version_warning').notNull().default(false),
  /**
   * multiple_versions_with_translations | multiple_versions_without_translations |
   * single_version_without_translations; `single_version` is kept equal to the last (src/domain/projects.ts).
   */
  versioningScheme: text('versioning_scheme').notNull().default('multiple_versions_with_translations'),
  /** A Google Analytics id readers' pages report to (Read the Docs' `analytics_code`); '' when none. */
  analyticsCode: text('analytics_code').notNull().default(''),
  analyticsDisabled: boolean('analytics_disabled').notNull().default(false),
  /** Read the Docs' custom URL prefix of versions (e.g. `/docs/`); null: the default (`/`). */
  customPrefix: text('custom_prefix'),
  /** Read the Docs' custom prefix of subprojects (default `/projects/`). */
  customSubprojectPrefix: text('custom_subproject_prefix'),
  /** Kept out of search engines: robots.txt disallows all, pages carry `X-Robots-Tag: noindex`. */
  delisted: boolean('delisted').notNull().default(false),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('projects_slug_key').on(t.slug)]);

export const projectMaintainers = pgTable('project_maintainers', {
  projectId: integer('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
}, (t) => [primaryKey({ columns: [t.projectId, t.userId] }), index('project_maintainers_user_idx').on(t.userId)]);

/** An invitation to maintain a project: the invited user accepts (or declines) before becoming a maintainer. */
export const maintainerInvitations = pgTable('maintainer_invitations', {
  id: serial('id').primaryKey(),
  projectId: integer('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  invitedById: integer('invited_by_id').references(() => users.id, { onDelete: 'set null' }),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('maintainer_invitations_project_user_key').on(t.projectId, t.userId), index('maintainer_invitations_user_idx').on(t.userId)]);

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
  /** triggered → cloning → installing → building → uploading → finished | cancelled (core/build-state.ts); `success` says how it ended */
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
  /** 1 for the first run; a builder that died makes the build run again from the start. */
  attempt: integer('attempt').notNull().default(1),
  /** The claim of the current attempt lapses at this time unless the builder renews it (heartbeat). */
  leaseExpiresAt: timestamp('lease_expires_at', { withTimezone: true }),
  /** sha256 of the per-attempt token the builder reports with; a stale attempt's token stops working. */
  tokenHash: text('token_hash'),
  cancelRequested: boolean('cancel_requested').notNull().default(false),
  /** The job-queue (pg-boss) job that carries this build. */
  jobId: text('job_id'),
  /** Formats stored beside the HTML, e.g. ["htmlzip", "epub"]. */
  formats: jsonb('formats').$type<string[]>().notNull().default([]),
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

/** A project served under another's host at `/projects/<alias>/`. */
export const subprojects = pgTable('subprojects', {
  id: serial('id').primaryKey(),
  parentId: integer('parent_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
  childId: integer('child_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
  alias: text('alias').notNull(),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('subprojects_parent_alias_key').on(t.parentId, t.alias), uniqueIndex('subprojects_child_key').on(t.childId)]);

/** User redirects, with Read the Docs' types and semantics. */
export const redirects = pgTable('redirects', {
  id: serial('id').primaryKey(),
  projectId: integer('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
  /** page | exact | clean_url_to_html | html_to_clean_url */
  type: text('type').notNull(),
  fromUrl: text('from_url').notNull().default(''),
  toUrl: text('to_url').notNull().default(''),
  httpStatus: integer('http_status').notNull().default(302),
  force: boolean('force').notNull().default(false),
  enabled: boolean('enabled').notNull().default(true),
  position: integer('position').notNull().default(0),
  description: text('description').notNull().default(''),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('redirects_project_idx').on(t.projectId, t.position)]);

/** Custom domains; served only once verified. */
export const domains = pgTable('domains', {
  id: serial('id').primaryKey(),
  projectId: integer('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
  domain: text('domain').notNull(),
  verificationToken: text('verification_token').notNull(),
  verifiedAt: timestamp('verified_at', { withTimezone: true }),
  canonical: boolean('canonical').notNull().default(false),
  /** Readers are sent to https:// for this domain (Read the Docs' `https`). */
  https: boolean('https').notNull().default(false),
  /** Strict-Transport-Security for this domain, as Read the Docs' Domain has it (0: not sent). */
  hstsMaxAge: integer('hsts_max_age').notNull().default(0),
  hstsIncludeSubdomains: boolean('hsts_include_subdomains').notNull().default(false),
  hstsPreload: boolean('hsts_preload').notNull().default(false),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('domains_domain_key').on(t.domain)]);

/** Extra response headers of a custom domain (Read the Docs' HTTPHeader). */
export const domainHeaders = pgTable('domain_headers', {
  id: serial('id').primaryKey(),
  domainId: integer('domain_id').notNull().references(() => domains.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  value: text('value').notNull(),
  /** Sent only on https requests (e.g. Strict-Transport-Security-like headers). */
  onlyIfSecureRequest: boolean('only_if_secure_request').notNull().default(false),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('domain_headers_domain_idx').on(t.domainId)]);

/** Environment variables given to a project's builds; values are never shown back. */
export const environmentVariables = pgTable('environment_variables', {
  id: serial('id').primaryKey(),
  projectId: integer('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  value: text('value').notNull(),
  /** Public values are shown in build logs and given to pull-request builds; others are masked. */
  public: boolean('public').notNull().default(false),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('environment_variables_project_name_key').on(t.projectId, t.name)]);

/** Incoming webhooks (GitHub, GitLab, Bitbucket, generic), each with its own secret. */
export const integrations = pgTable('integrations', {
  id: serial('id').primaryKey(),
  projectId: integer('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
  /** github | gitlab | bitbucket | generic */
  provider: text('provider').notNull(),
  secret: text('secret').notNull(),
  createdAt: createdAt(),
}, (t) => [index('integrations_project_idx').on(t.projectId)]);

/** Webhook deliveries seen, so a replayed delivery id is ignored. */
export const webhookDeliveries = pgTable('webhook_deliveries', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  integrationId: integer('integration_id').notNull().references(() => integrations.id, { onDelete: 'cascade' }),
  deliveryId: text('delivery_id').notNull(),
  event: text('event').notNull().default(''),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('webhook_deliveries_key').on(t.integrationId, t.deliveryId)]);

/** Automation rules: what to do with new versions whose name matches. */
export const automationRules = pgTable('automation_rules', {
  id: serial('id').primaryKey(),
  projectId: integer('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
  position: integer('position').notNull().default(0),
  description: text('description').notNull().default(''),
  /** all-versions | semver-versions | regex */
  predefinedMatch: text('predefined_match'),
  matchArg: text('match_arg').notNull().default(''),
  /** branch | tag | external */
  versionType: text('version_type').notNull(),
  /** activate-version | hide-version | make-version-public | make-version-private | set-default-version | delete-version */
  action: text('action').notNull(),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('automation_rules_project_idx').on(t.projectId, t.position)]);

/** Outgoing notifications: Bindery POSTs signed JSON here when builds end. */
export const projectWebhooks = pgTable('project_webhooks', {
  id: serial('id').primaryKey(),
  projectId: integer('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
  url: text('url').notNull(),
  secret: text('secret').notNull(),
  /** build:triggered | build:passed | build:failed */
  events: jsonb('events').$type<string[]>().notNull().default(['build:passed', 'build:failed']),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const webhookAttempts = pgTable('webhook_attempts', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  webhookId: integer('webhook_id').notNull().references(() => projectWebhooks.id, { onDelete: 'cascade' }),
  event: text('event').notNull(),
  payload: jsonb('payload').notNull(),
  statusCode: integer('status_code'),
  error: text('error'),
  attempt: integer('attempt').notNull().default(1),
  createdAt: createdAt(),
});

/**
 * Read the Docs' notifications: messages attached to a build, a project or a user (a build's
 * failure, a configuration problem), with a state readers move between unread, read and dismissed.
 */
export const notifications = pgTable('notifications', {
  id: serial('id').primaryKey(),
  /** Read the Docs' message id, e.g. `build:failed`, `project:invalid-yaml`. */
  messageId: text('message_id').notNull(),
  /** unread | read | dismissed | cancelled */
  state: text('state').notNull().default('unread'),
  projectId: integer('project_id').references(() => projects.id, { onDelete: 'cascade' }),
  buildId: integer('build_id').references(() => builds.id, { onDelete: 'cascade' }),
  userId: integer('user_id').references(() => users.id, { onDelete: 'cascade' }),
  /** Values the message's text is formatted with. */
  formatValues: jsonb('format_values').$type<Record<string, string | number>>().notNull().default({}),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('notifications_project_idx').on(t.projectId), index('notifications_build_idx').on(t.buildId), index('notifications_user_idx').on(t.userId)]);

/** Dashboard sessions: a random id in an HttpOnly cookie, stored hashed. */
export const sessions = pgTable('sessions', {
  idHash: text('id_hash').primaryKey(),
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  csrfToken: text('csrf_token').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  createdAt: createdAt(),
});

/**
 * Signed-in reading of private docs on a docs host, which never sees the dashboard's cookie:
 * the dashboard hands a maintainer a one-time `handoff` (seconds long) in a redirect, and the
 * docs host trades it for a `session` of its own host. Both stored hashed, like dashboard sessions.
 */
export const docsSessions = pgTable('docs_sessions', {
  idHash: text('id_hash').primaryKey(),
  /** handoff | session */
  kind: text('kind').notNull(),
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  /** The docs host the handoff or session is for (lower case, without port). */
  host: text('host').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  createdAt: createdAt(),
}, (t) => [index('docs_sessions_expires_idx').on(t.expiresAt)]);

/** Searchable sections of a build's pages (title, anchor, text), per live build. */
export const searchSections = pgTable('search_sections', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  buildId: integer('build_id').notNull().references(() => builds.id, { onDelete: 'cascade' }),
  projectId: integer('project_id').notNull(),
  versionId: integer('version_id').notNull(),
  path: text('path').notNull(),
  pageTitle: text('page_title').notNull(),
  sectionId: text('section_id').notNull().default(''),
  title: text('title').notNull(),
  content: text('content').notNull(),
  rank: integer('rank').notNull().default(0),
}, (t) => [
  index('search_sections_version_idx').on(t.versionId, t.buildId),
  index('search_sections_fts_idx').using('gin', sql`to_tsvector('english', ${t.title} || ' ' || ${t.content})`),
]);

export type User = typeof users.$inferSelect;
export type MaintainerInvitation = typeof maintainerInvitations.$inferSelect;
export type Project = typeof projects.$inferSelect;
export type Version = typeof versions.$inferSelect;
export type Build = typeof builds.$inferSelect;
export type BuildStep = typeof buildSteps.$inferSelect;
export type BuildLogLine = typeof buildLogLines.$inferSelect;
export type Redirect = typeof redirects.$inferSelect;
export type Domain = typeof domains.$inferSelect;
export type Integration = typeof integrations.$inferSelect;
export type EnvironmentVariable = typeof environmentVariables.$inferSelect;
export type AutomationRule = typeof automationRules.$inferSelect;
export type Notification = typeof notifications.$inferSelect;
export type DomainHeader = typeof domainHeaders.$inferSelect;
export type DocsSession = typeof docsSessions.$inferSelect;
