// Versions from git, with Read the Docs' semantics: every branch and tag is a version;
// `latest` follows the default branch; `stable` follows the highest non-prerelease
// version tag (without one, the highest branch named as such a version), unless the
// repository has its own branch or tag named `stable`.
import semver from 'semver';

export interface GitRef {
  kind: 'branch' | 'tag';
  name: string;
  commit: string;
}

export interface RemoteRefs {
  /** The branch HEAD points at, when the remote says (`git ls-remote --symref`). */
  head: string | null;
  refs: GitRef[];
}

export interface VersionSpec {
  slug: string;
  verboseName: string;
  type: 'branch' | 'tag';
  /** The ref the version follows. */
  identifier: string;
  commit: string;
  machine: boolean;
}

export const LATEST = 'latest';
export const STABLE = 'stable';

/** Parses `git ls-remote --symref <url> HEAD 'refs/heads/*' 'refs/tags/*'`. Annotated tags use their peeled commit. */
export function parseLsRemote(output: string): RemoteRefs {
  let head: string | null = null;
  const branches = new Map<string, string>();
  const tags = new Map<string, string>();
  const peeled = new Map<string, string>();
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const symref = /^ref:\s+refs\/heads\/(\S+)\s+HEAD$/.exec(line);
    if (symref) {
      head = symref[1]!;
      continue;
    }
    const m = /^([0-9a-f]{40}|[0-9a-f]{64})\s+(\S+)$/.exec(line);
    if (!m) continue;
    const [, commit, ref] = m as unknown as [string, string, string];
    if (ref.startsWith('refs/heads/')) branches.set(ref.slice('refs/heads/'.length), commit);
    else if (ref.startsWith('refs/tags/')) {
      const name = ref.slice('refs/tags/'.length);
      if (name.endsWith('^{}')) peeled.set(name.slice(0, -3), commit);
      else tags.set(name, commit);
    }
  }
  const refs: GitRef[] = [];
  for (const [name, commit] of branches) refs.push({ kind: 'branch', name, commit });
  for (const [name, commit] of tags) refs.push({ kind: 'tag', name, commit: peeled.get(name) ?? commit });
  refs.sort((a, b) => (a.kind === b.kind ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.kind === 'branch' ? -1 : 1));
  return { head, refs };
}

/**
 * The URL slug of a ref, as Read the Docs makes it: lower case, characters outside
 * `[a-z0-9._-]` become `-`, runs of `-` collapse, no leading or trailing punctuation.
 */
export function versionSlug(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-._]+|[-._]+$/g, '');
  return slug || 'unknown';
}

/**
 * Reads a tag as a version: an optional `v`, one to three numeric parts (`1.2` is 1.2.0),
 * then an optional semver prerelease/build suffix or a PEP 440 one (`1.0rc1`).
 * Returns null for tags that are not versions (`release-1.2`, `nightly`).
 */
export function parseVersionTag(name: string): semver.SemVer | null {
  const m = /^[vV]?(\d+)(?:\.(\d+))?(?:\.(\d+))?((?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$/.exec(name);
  if (!m) {
    // PEP 440 style prereleases (1.0rc1, 2.0b2, 1.0a1) are common in Python projects.
    const pep = /^[vV]?(\d+)(?:\.(\d+))?(?:\.(\d+))?(a|b|rc|alpha|beta|dev)(\d*)$/.exec(name);
    if (!pep) return null;
    return semver.parse(`${Number(pep[1])}.${Number(pep[2] ?? 0)}.${Number(pep[3] ?? 0)}-${pep[4]}.${pep[5] || 0}`);
  }
  const parts = [m[1], m[2] ?? '0', m[3] ?? '0'].map((p) => String(Number(p)));
  return semver.parse(`${parts.join('.')}${m[4] ?? ''}`);
}

/** Picks the tag `stable` follows: the highest non-prerelease version; ties go to the fuller spelling, then the name. */
export function pickStableTag(tags: GitRef[]): GitRef | null {
  let best: { ref: GitRef; version: semver.SemVer } | null = null;
  for (const ref of tags) {
    const version = parseVersionTag(ref.name);
    if (!version || version.prerelease.length > 0) continue;
    if (!best) {
      best = { ref, version };
      continue;
    }
    const order = semver.compare(version, best.version);
    if (order > 0 || (order === 0 && (ref.name.length > best.ref.name.length || (ref.name.length === best.ref.name.length && ref.name < best.ref.name)))) {
      best = { ref, version };
    }
  }
  return best?.ref ?? null;
}

/** Picks the default branch: the project's configured one when it exists, else what HEAD says, else main/master, else the first. */
export function pickDefaultBranch(remote: RemoteRefs, configured: string | null): string | null {
  const branches = remote.refs.filter((r) => r.kind === 'branch').map((r) => r.name);
  if (configured && branches.includes(configured)) return configured;
  if (remote.head && branches.includes(remote.head)) return remote.head;
  for (const name of ['main', 'master']) if (branches.includes(name)) return name;
  return branches[0] ?? null;
}

/**
 * The full set of versions a repository has: one per branch and tag, plus the machine
 * versions `latest` and `stable` (the highest release tag, else the highest branch named as a
 * release) unless a ref of that name already exists (a project's own `stable` branch wins, as
 * on Read the Docs). Slugs are unique: a ref whose slug collides
 * with an earlier one gets a numeric suffix.
 */
export function computeVersions(remote: RemoteRefs, configuredDefaultBranch: string | null): VersionSpec[] {
  const out: VersionSpec[] = [];
  const taken = new Set<string>();
  const unique = (slug: string): string => {
    let candidate = slug;
    for (let n = 2; taken.has(candidate); n++) candidate = `${slug}_${n}`;
    taken.add(candidate);
    return candidate;
  };
  const own = new Map(remote.refs.map((r) => [versionSlug(r.name), r]));
  const defaultBranch = pickDefaultBranch(remote, configuredDefaultBranch);
  const head = remote.refs.find((r) => r.kind === 'branch' && r.name === defaultBranch);
  if (head && !own.has(LATEST)) {
    out.push({ slug: unique(LATEST), verboseName: LATEST, type: 'branch', identifier: head.name, commit: head.commit, machine: true });
  }
  // Read the Docs prefers the highest release tag and, without one, takes the highest branch named as a release.
  const followed = pickStableTag(remote.refs.filter((r) => r.kind === 'tag')) ?? pickStableTag(remote.refs.filter((r) => r.kind === 'branch'));
  if (followed && !own.has(STABLE)) {
    out.push({ slug: unique(STABLE), verboseName: STABLE, type: followed.kind, identifier: followed.name, commit: followed.commit, machine: true });
  }
  for (const ref of remote.refs) {
    out.push({ slug: unique(versionSlug(ref.name)), verboseName: ref.name, type: ref.kind, identifier: ref.name, commit: ref.commit, machine: false });
  }
  return out;
}

/** What Read the Docs' version rules read of a stored version. */
export interface VersionFacts {
  slug: string;
  verboseName: string;
  type: string;
  /** The ref the version follows (a branch or tag name; a preview's commit). */
  identifier: string;
  commit: string | null;
  machine: boolean;
}

/**
 * What Read the Docs stores, and answers, as a version's `identifier`: a branch's name (a
 * branch moves, so its name is what identifies it), a tag's commit (and a preview's).
 */
export function rtdIdentifier(v: VersionFacts): string {
  return v.type === 'branch' ? v.identifier : (v.commit ?? v.identifier);
}

/**
 * The version a machine `latest` or `stable` stands for: the branch `latest` follows, the tag
 * (or branch) `stable` follows. Null for any other version, or when that ref has no version.
 */
export function originalOf<T extends VersionFacts>(v: T, family: readonly T[]): T | null {
  if (!v.machine || (v.slug !== LATEST && v.slug !== STABLE)) return null;
  return family.find((o) => !o.machine && o.type === v.type && o.verboseName === v.identifier) ?? null;
}

/** Read the Docs' `ref`: for the machine `stable` only, the slug of the version it points to; else null. */
export function stableRef<T extends VersionFacts>(v: T, family: readonly T[]): string | null {
  if (!v.machine || v.slug !== STABLE) return null;
  return originalOf(v, family)?.slug ?? versionSlug(v.identifier);
}

/** The branch or tag name a version shows in the repository (Read the Docs' `git_identifier`). */
export function gitName(v: VersionFacts): string {
  // A machine version's identifier is the ref it follows; any other's name is its verbose name.
  return v.machine ? v.identifier : v.verboseName;
}

/**
 * The repository page of a version, as Read the Docs builds `urls.vcs`: the repository URL
 * (git:// read as https://, without `.git`) then `/tree/<ref>/` on GitHub and GitLab,
 * `/src/<ref>` on Bitbucket, a pull or merge request's page for a preview; the bare
 * repository URL elsewhere.
 */
export function vcsUrl(repositoryUrl: string, v: VersionFacts): string {
  const base = repositoryUrl.replace(/^git:\/\//, 'https://').replace(/\.git\/?$/, '').replace(/\/+$/, '');
  const github = base.includes('github');
  const gitlab = base.includes('gitlab');
  if (v.type === 'external') {
    if (github) return `${base}/pull/${v.verboseName}/`;
    if (gitlab) return `${base}/merge_requests/${v.verboseName}/`;
    return '';
  }
  const name = gitName(v);
  if (github || gitlab) return `${base}/tree/${name}/`;
  if (base.includes('bitbucket')) return `${base}/src/${name}`;
  return base;
}
