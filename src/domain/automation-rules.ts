// Automation rules (Read the Docs' VersionAutomationRule): what happens to new branches and
// tags. Kept here: the rules a rule must follow (the API and the dashboard both write through
// addRule/changeRule), and the rules at work — when a sync finds new branches or tags, every
// rule (in order) whose version type and pattern match a new version acts on it; a
// `delete-version` rule acts on versions whose ref vanished but that Bindery kept (they had a
// live build). Custom patterns are user regular expressions, so each runs with a time limit.
import vm from 'node:vm';
import type { Db } from '../db/database.ts';
import { createRule, deleteRule, findRule, listRules, updateRule, type RuleFields } from '../db/automation-rules.ts';
import { DomainError } from '../core/domain-error.ts';
import type { DomainContext } from './context.ts';
import { updateProject } from '../db/projects.ts';
import type { AutomationRule, Project, Version } from '../db/schema.ts';
import { deleteVersion, updateVersion } from '../db/versions.ts';
import type { BuildQueue } from '../queue/build-queue.ts';

export const PREDEFINED_MATCHES: Record<string, string> = {
  'all-versions': '.*',
  // Read the Docs' pattern: semver.org's, with an optional leading v.
  'semver-versions':
    '^v?(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$',
};

export const ACTIONS = ['activate-version', 'hide-version', 'make-version-public', 'make-version-private', 'set-default-version', 'delete-version'] as const;

const MATCH_TIMEOUT_MS = 50;
const sandbox = vm.createContext(Object.create(null));
const matcher = new vm.Script('new RegExp(pattern).test(name)');

/** Python's named groups `(?P<x>…)` are written `(?<x>…)` in JavaScript; otherwise the syntax is shared. */
export function toJsPattern(pattern: string): string {
  return pattern.replace(/\(\?P</g, '(?<');
}

/** The reason a custom pattern cannot be used, or null when it compiles. */
export function patternProblem(pattern: string): string | null {
  try {
    new RegExp(toJsPattern(pattern));
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Whether a version name matches a pattern; a pattern that runs too long (catastrophic backtracking) does not match. */
export function patternMatches(pattern: string, name: string): boolean {
  Object.assign(sandbox, { pattern: toJsPattern(pattern), name });
  try {
    return matcher.runInContext(sandbox, { timeout: MATCH_TIMEOUT_MS }) === true;
  } catch {
    return false;
  }
}

export function ruleMatches(rule: AutomationRule, version: Pick<Version, 'type' | 'verboseName'>): boolean {
  if (rule.versionType !== version.type) return false;
  const pattern = rule.predefinedMatch ? PREDEFINED_MATCHES[rule.predefinedMatch] : rule.matchArg;
  return pattern !== undefined && patternMatches(pattern, version.verboseName);
}

/**
 * Runs the project's rules over versions a sync just created (and, for `delete-version`, over
 * versions whose ref vanished). Versions activated here and never built are queued for a build.
 * Returns the versions as they are afterwards (deleted ones left out).
 */
export async function applyAutomationRules(db: Db, queue: BuildQueue | null, project: Project, newVersions: Version[], goneVersions: Version[] = []): Promise<Version[]> {
  const { rows: rules } = await listRules(db, project.id);
  if (rules.length === 0) return newVersions;
  let defaultVersion = project.defaultVersion;
  const out: Version[] = [];
  for (const original of newVersions) {
    let version = original;
    if (version.machine || version.type === 'external') {
      out.push(version);
      continue;
    }
    const patch: { active?: boolean; hidden?: boolean; privacyLevel?: string } = {};
    for (const rule of rules) {
      if (rule.action === 'delete-version' || !ruleMatches(rule, version)) continue;
      if (rule.action === 'activate-version') patch.active = true;
      else if (rule.action === 'hide-version') Object.assign(patch, { hidden: true, active: true });
      else if (rule.action === 'make-version-public') patch.privacyLevel = 'public';
      else if (rule.action === 'make-version-private') patch.privacyLevel = 'private';
      else if (rule.action === 'set-default-version') {
        patch.active = true;
        defaultVersion = version.slug;
      }
    }
    if (Object.keys(patch).length) version = (await updateVersion(db, version.id, patch)) ?? version;
    if (version.active && !version.built && !original.active && queue) {
      await queue.trigger({ projectId: project.id, versionId: version.id, commit: null, trigger: 'automation-rule' });
    }
    out.push(version);
  }
  if (defaultVersion !== project.defaultVersion) await updateProject(db, project, { defaultVersion });
  for (const version of goneVersions) {
    // The default version stays, as on Read the Docs: readers land on it.
    if (version.machine || version.slug === defaultVersion) continue;
    if (rules.some((rule) => rule.action === 'delete-version' && ruleMatches(rule, version))) await deleteVersion(db, version.id);
  }
  return out;
}

export const VERSION_TYPES = ['branch', 'tag'] as const;
export const MAX_PATTERN_LENGTH = 255;
export const MAX_DESCRIPTION_LENGTH = 255;
export const MAX_PRIORITY = 100_000;
export type { RuleFields };
/** What a new rule starts from. */
export const NEW_RULE: RuleFields = { description: '', predefinedMatch: null, matchArg: '', versionType: 'tag', action: 'activate-version' };

/** A rule as written by an adapter, in Read the Docs' terms; a field left out keeps its value. */
export interface RuleInput {
  description?: string;
  /** all-versions | semver-versions, or null for a custom pattern. */
  predefinedMatchArg?: string | null;
  /** A custom regular expression (Python's named groups are accepted). */
  matchArg?: string;
  versionType?: string;
  action?: string;
  /** Where it runs in the order (0 first); absent: last for a new rule, unchanged otherwise. */
  priority?: number;
}

const invalid = (field: string, message: string) => new DomainError(field, message);
const notFound = () => new DomainError('rule', 'Not found.', 'not_found');

function choice(field: string, value: string | null | undefined, allowed: readonly (string | null)[]): void {
  if (value !== undefined && !allowed.includes(value)) throw invalid(field, `"${value}" is not a valid choice.`);
}

/**
 * The rule's fields once written; a rule matches either by a predefined pattern or by its own
 * compiling regular expression (DomainError naming the field otherwise).
 */
export function ruleFields(base: RuleFields, input: RuleInput): RuleFields {
  choice('predefined_match_arg', input.predefinedMatchArg, [...Object.keys(PREDEFINED_MATCHES), null]);
  choice('version_type', input.versionType, VERSION_TYPES);
  choice('action', input.action, ACTIONS);
  if ((input.matchArg ?? '').length > MAX_PATTERN_LENGTH) throw invalid('match_arg', `Ensure this field has no more than ${MAX_PATTERN_LENGTH} characters.`);
  if ((input.description ?? '').length > MAX_DESCRIPTION_LENGTH) throw invalid('description', `Ensure this field has no more than ${MAX_DESCRIPTION_LENGTH} characters.`);
  if (input.priority !== undefined && (!Number.isInteger(input.priority) || input.priority < 0 || input.priority > MAX_PRIORITY)) {
    throw invalid('priority', `Ensure this value is between 0 and ${MAX_PRIORITY}.`);
  }
  let predefinedMatch = input.predefinedMatchArg !== undefined ? input.predefinedMatchArg : base.predefinedMatch;
  let matchArg = input.matchArg ?? base.matchArg;
  // Giving one kind of match replaces the other.
  if (input.matchArg !== undefined && input.predefinedMatchArg === undefined) predefinedMatch = null;
  if (input.predefinedMatchArg && input.matchArg === undefined) matchArg = '';
  if (predefinedMatch && matchArg) throw invalid('match_arg', 'Give either predefined_match_arg or match_arg, not both.');
  if (!predefinedMatch) {
    if (!matchArg) throw invalid('match_arg', 'A rule needs predefined_match_arg (all-versions, semver-versions) or a match_arg pattern.');
    const problem = patternProblem(matchArg);
    if (problem) throw invalid('match_arg', `Not a valid regular expression: ${problem}`);
  }
  return {
    description: input.description ?? base.description,
    predefinedMatch,
    matchArg: predefinedMatch ? '' : matchArg,
    versionType: input.versionType ?? base.versionType,
    action: input.action ?? base.action,
  };
}

export async function projectRules(ctx: Pick<DomainContext, 'db'>, project: Project, limit = 1000, offset = 0): Promise<{ count: number; rows: AutomationRule[] }> {
  return listRules(ctx.db, project.id, limit, offset);
}

export async function projectRule(ctx: Pick<DomainContext, 'db'>, project: Project, id: number): Promise<AutomationRule> {
  const row = await findRule(ctx.db, project.id, id);
  if (!row) throw notFound();
  return row;
}

/** Adds a rule, last unless a priority is given (as on Read the Docs). */
export async function addRule(ctx: Pick<DomainContext, 'db'>, project: Project, input: RuleInput): Promise<AutomationRule> {
  return createRule(ctx.db, project.id, ruleFields(NEW_RULE, input), input.priority);
}

/** Changes the fields given; a priority moves the rule there (the others shift). */
export async function changeRule(ctx: Pick<DomainContext, 'db'>, project: Project, id: number, input: RuleInput): Promise<AutomationRule> {
  const current = await projectRule(ctx, project, id);
  const row = await updateRule(ctx.db, project.id, current.id, ruleFields(current, input), input.priority);
  if (!row) throw notFound();
  return row;
}

/** Deletes a rule; those after it move up. */
export async function removeRule(ctx: Pick<DomainContext, 'db'>, project: Project, id: number): Promise<void> {
  if (!(await deleteRule(ctx.db, project.id, id))) throw notFound();
}
