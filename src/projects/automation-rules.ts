// Automation rules at work, as on Read the Docs: when a sync finds new branches or tags, every
// rule (in order) whose version type and pattern match a new version acts on it; a
// `delete-version` rule acts on versions whose ref vanished but that Bindery kept (they had a
// live build). Custom patterns are user regular expressions, so each runs with a time limit.
import vm from 'node:vm';
import type { Db } from '../db/database.ts';
import { listRules } from '../db/automation-rules.ts';
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
