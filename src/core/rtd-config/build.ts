// The `build` section, as Read the Docs' validate_build_config_with_os: an OS image, tool
// versions, job overrides or a full command list, and APT packages.

import type { Checker } from './checker.ts';
import { describeValue, quoted } from './describe.ts';
import type { Segment } from './describe.ts';
import { BUILD_JOBS_BUILD_TYPES, BUILD_OS, BUILD_TOOL_NAMES, BUILD_TOOL_VERSIONS, JOB_NAMES, OVERRIDE_JOBS } from './settings.ts';
import type { BuildJobs, BuildToolName, HookJobName, OverrideJobName, RtdConfig, RtdFormat } from './types.ts';

export type BuildSection = RtdConfig['build'] & {
  /** Whether a non-empty `build.commands` was given (or one that failed validation). */
  usesCommands: boolean;
  /** Whether a job replaces a pre-defined step (create_environment, install, build.*). */
  overridesSteps: boolean;
};

const BUILD_KEYS = ['os', 'tools', 'jobs', 'commands', 'apt_packages'] as const;
const BUILD_EXAMPLE = 'e.g. build: {os: ubuntu-24.04, tools: {python: "3.12"}}';

/** Every job, in the order the build runs them: hooks empty, overrides null (not overridden). */
export function emptyJobs(): BuildJobs {
  const jobs: Record<string, unknown> = {};
  for (const name of JOB_NAMES) {
    if (name === 'build') jobs[name] = { html: null, pdf: null, epub: null, htmlzip: null };
    else jobs[name] = (OVERRIDE_JOBS as readonly string[]).includes(name) ? null : [];
  }
  return jobs as BuildJobs;
}

export function validateBuild(check: Checker, raw: unknown, formats: readonly RtdFormat[]): BuildSection {
  const build: BuildSection = { os: '', tools: {}, jobs: emptyJobs(), commands: [], aptPackages: [], usesCommands: false, overridesSteps: false };
  if (raw === undefined || raw === null) {
    check.report('VALUE_NOT_FOUND', ['build'], raw, `required key is missing; expected a mapping with build.os and build.tools (${BUILD_EXAMPLE}).`);
    return build;
  }
  const map = check.mapping(['build'], raw);
  if (!map) return build;
  const section = check.known(['build'], map, BUILD_KEYS);

  const os = section.get('os');
  if (os === undefined || os === null) check.report('VALUE_NOT_FOUND', ['build', 'os'], os, `required key is missing; expected one of ${BUILD_OS.join(', ')}.`);
  else build.os = check.choice(['build', 'os'], os, BUILD_OS) ?? '';

  const rawTools = section.get('tools');
  let hasTools = false;
  if (rawTools !== undefined && rawTools !== null) {
    const tools = check.mapping(['build', 'tools'], rawTools);
    hasTools = tools === null || tools.size > 0; // a wrong type is reported once, as such
    if (tools) {
      const entries: Array<[string, string]> = [];
      for (const [name, version] of check.known(['build', 'tools'], tools, BUILD_TOOL_NAMES)) {
        const chosen = check.choice(['build', 'tools', name], version, BUILD_TOOL_VERSIONS[name as BuildToolName]);
        if (chosen !== null) entries.push([name, chosen]);
      }
      build.tools = Object.fromEntries(entries);
    }
  }

  const rawCommands = section.get('commands');
  if (rawCommands !== undefined && rawCommands !== null) {
    const commands = check.stringList(['build', 'commands'], rawCommands, 'commands');
    build.commands = commands ?? [];
    // A list that failed validation still says "this project uses build.commands".
    build.usesCommands = !Array.isArray(rawCommands) || rawCommands.length > 0;
  }

  const rawJobs = section.get('jobs');
  let hasJobs = false;
  if (rawJobs !== undefined && rawJobs !== null) {
    const jobs = check.mapping(['build', 'jobs'], rawJobs);
    hasJobs = jobs !== null && jobs.size > 0;
    if (jobs) validateJobs(check, jobs, formats, build);
  }

  if (!hasTools && !build.usesCommands) {
    check.report('NOT_BUILD_TOOLS_OR_COMMANDS', ['build'], raw, `at least one of build.tools or build.commands is required (${BUILD_EXAMPLE}).`);
  }
  if (hasJobs && build.usesCommands) {
    check.report(
      'BUILD_JOBS_AND_COMMANDS',
      ['build'],
      raw,
      'build.jobs and build.commands can not be used together: build.commands replaces the whole build, so there are no jobs to run around; use one of them.',
    );
  }

  const rawApt = section.get('apt_packages');
  if (rawApt !== undefined && rawApt !== null) build.aptPackages = validateAptPackages(check, rawApt);
  return build;
}

function validateJobs(check: Checker, jobs: Map<unknown, unknown>, formats: readonly RtdFormat[], build: BuildSection): void {
  for (const [name, value] of check.known(['build', 'jobs'], jobs, [...JOB_NAMES, 'pre_checkout'])) {
    const path: Segment[] = ['build', 'jobs', name];
    if (name === 'pre_checkout') {
      // Accepted by Read the Docs' schema, but there is nothing to run before the clone.
      check.warn('build.jobs.pre_checkout is ignored: Read the Docs does not run commands before the repository is cloned; use post_checkout.');
    } else if (name === 'build') {
      validateBuildJobsBuild(check, value, formats, build);
    } else if ((OVERRIDE_JOBS as readonly string[]).includes(name)) {
      const commands = check.stringList(path, value, 'commands');
      build.jobs[name as OverrideJobName] = commands;
      if (commands !== null) build.overridesSteps = true;
    } else {
      build.jobs[name as HookJobName] = check.stringList(path, value, 'commands') ?? [];
    }
  }
}

/** `build.jobs.build.<type>`: replaces the build of one output; non-HTML types must be in `formats`. */
function validateBuildJobsBuild(check: Checker, value: unknown, formats: readonly RtdFormat[], build: BuildSection): void {
  const map = check.mapping(['build', 'jobs', 'build'], value);
  if (!map) return;
  for (const [type, commands] of check.known(['build', 'jobs', 'build'], map, BUILD_JOBS_BUILD_TYPES)) {
    const path: Segment[] = ['build', 'jobs', 'build', type];
    if (type !== 'html' && !formats.includes(type as RtdFormat)) {
      check.report(
        'BUILD_JOBS_BUILD_TYPE_MISSING_IN_FORMATS',
        path,
        commands,
        `the ${type} build is overridden, but ${type} is not in formats (formats: [${formats.join(', ')}]); add ${type} to formats or remove this job.`,
        'key',
      );
    }
    const list = check.stringList(path, commands, 'commands');
    build.jobs.build[type as keyof BuildJobs['build']] = list;
    if (list !== null) build.overridesSteps = true;
  }
}

const APT_PACKAGE = /^[a-zA-Z0-9][a-zA-Z0-9.+-]*$/;

/** Package names only: no options (`-o …`), no local files (`./x.deb`, `/tmp/x.deb`), no shell. */
function validateAptPackages(check: Checker, value: unknown): string[] {
  if (!Array.isArray(value)) {
    check.report('INVALID_LIST', ['build', 'apt_packages'], value, `expected a list of APT package names, got ${describeValue(value)}.`);
    return [];
  }
  const packages: string[] = [];
  value.forEach((item, index) => {
    const path: Segment[] = ['build', 'apt_packages', index];
    const raw = check.string(path, item);
    if (raw === null) return;
    const name = raw.trim();
    const prefix = ['-', '/', '.'].find((p) => name.startsWith(p));
    if (prefix) {
      check.report('APT_INVALID_PACKAGE_NAME_PREFIX', path, item, `invalid APT package name ${quoted(name)}: package names can not start with ${JSON.stringify(prefix)}.`);
    } else if (!APT_PACKAGE.test(name)) {
      check.report('APT_INVALID_PACKAGE_NAME', path, item, `invalid APT package name ${quoted(name)}: expected letters, digits and . + - only (e.g. libxml2-dev).`);
    } else {
      packages.push(name);
    }
  });
  return packages;
}
