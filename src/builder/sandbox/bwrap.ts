// The bubblewrap command line for one sandboxed command, and a once-per-process probe that
// bubblewrap works here. Inside: read-only system folders, a minimal /etc (no keys, no
// builder config), private /tmp and home, and only the build's own folders writable.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

/** The user the command runs as inside (Read the Docs' "docs" user); mapped to the caller outside. */
export const SANDBOX_UID = 1000;
export const SANDBOX_HOME = '/home/docs';
/** fds the spawner passes: the argument list, then the synthetic /etc/passwd and /etc/group. */
export const ARGS_FD = 3;
export const PASSWD_FD = 4;
export const GROUP_FD = 5;
/** With a network: the sandbox's resolv.conf, then bubblewrap's info (it writes) and block (we write) fds. */
export const RESOLV_FD = 6;
export const INFO_FD = 7;
export const BLOCK_FD = 8;

export const PASSWD = `root:x:0:0:root:/root:/usr/sbin/nologin\ndocs:x:${SANDBOX_UID}:${SANDBOX_UID}:docs:${SANDBOX_HOME}:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n`;
export const GROUP = `root:x:0:\ndocs:x:${SANDBOX_UID}:\nnogroup:x:65534:\n`;

/** What a build may need from /etc. Deliberately not /etc/ssl/private, pip.conf, gitconfig, shadow. */
const ETC = [
  'hosts', 'resolv.conf', 'nsswitch.conf', 'host.conf', 'gai.conf', 'services', 'protocols', 'networks',
  'ssl/certs', 'ssl/openssl.cnf', 'ca-certificates', 'ca-certificates.conf', 'localtime', 'timezone',
  'mime.types', 'mailcap', 'alternatives', 'ld.so.cache', 'ld.so.conf', 'ld.so.conf.d', 'fonts', 'texmf',
  'xml', 'sgml', 'os-release', 'debian_version', 'locale.alias', 'magic', 'magic.mime', 'matplotlibrc',
];

export interface BwrapPlan {
  /** Bound read-write at the same path; everything else of the host's files is invisible or read-only. */
  writable: string[];
  cwd: string;
  env: Record<string, string>;
  /** none: an empty network namespace; user: the user-mode network (network.ts) attached before the
   *  command starts; host: the host's network, only when the operator asked for it (BUILD_NETWORK=host). */
  network: 'none' | 'user' | 'host';
  /** false for the probe, which passes no data fds. */
  userFiles: boolean;
  /** Size of the sandbox's /tmp and home tmpfs (they count against the memory limit too). */
  tmpfsBytes?: number;
}

/** Options only: bubblewrap reads these from a fd, and the command must follow `--` on its real argv. */
export function bwrapArgs(plan: BwrapPlan): string[] {
  const a = [
    // A user namespace even as root: the command gets no capabilities on the host.
    '--unshare-user', '--uid', String(SANDBOX_UID), '--gid', String(SANDBOX_UID), '--disable-userns', '--cap-drop', 'ALL',
    '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try', '--hostname', 'bindery-build',
    // Killing bwrap (or the builder) ends the PID namespace and so every process in it.
    '--die-with-parent', '--new-session',
  ];
  // Always a network namespace of its own: empty, or with the user-mode network attached before the command starts.
  if (plan.network !== 'host') a.push('--unshare-net');
  if (plan.network === 'user') a.push('--info-fd', String(INFO_FD), '--block-fd', String(BLOCK_FD));
  a.push('--ro-bind', '/usr', '/usr');
  for (const name of ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32']) {
    const p = `/${name}`;
    const st = fs.lstatSync(p, { throwIfNoEntry: false });
    if (st?.isSymbolicLink()) a.push('--symlink', fs.readlinkSync(p), p);
    else if (st?.isDirectory()) a.push('--ro-bind', p, p);
  }
  const python = fs.readdirSync('/etc').filter((n) => /^python3(\.\d+)?$/.test(n));
  // The host's resolv.conf may name a resolver on its loopback, which the sandbox must not reach.
  for (const name of [...ETC, ...python]) if (name !== 'resolv.conf' || plan.network === 'host') a.push('--ro-bind-try', `/etc/${name}`, `/etc/${name}`);
  if (plan.userFiles) a.push('--ro-bind-data', String(PASSWD_FD), '/etc/passwd', '--ro-bind-data', String(GROUP_FD), '/etc/group');
  if (plan.network === 'user') a.push('--ro-bind-data', String(RESOLV_FD), '/etc/resolv.conf');
  const size = plan.tmpfsBytes ? ['--size', String(plan.tmpfsBytes)] : [];
  a.push('--proc', '/proc', '--dev', '/dev', ...size, '--tmpfs', '/tmp', '--symlink', '/tmp', '/var/tmp', ...size, '--tmpfs', SANDBOX_HOME);
  // Parents before children, so a folder nested in another stays writable.
  for (const dir of [...plan.writable].sort((x, y) => x.length - y.length)) a.push('--bind', dir, dir);
  a.push('--remount-ro', '/', '--chdir', plan.cwd, '--clearenv');
  for (const [k, v] of Object.entries(plan.env)) a.push('--setenv', k, v);
  return a;
}

export function findBwrap(explicit?: string): string | null {
  const candidates = explicit ? [explicit] : ['/usr/bin/bwrap', '/usr/local/bin/bwrap', '/bin/bwrap'];
  return candidates.find((p) => fs.existsSync(p)) ?? null;
}

export interface SandboxAvailability {
  available: boolean;
  reason: string;
  bwrap: string | null;
}

const probes = new Map<string, SandboxAvailability>();

/** Whether bubblewrap is installed and can build this sandbox here (user and PID namespaces allowed). */
export function sandboxAvailable(bwrapPath?: string): SandboxAvailability {
  const key = bwrapPath ?? '';
  let result = probes.get(key);
  if (!result) {
    result = probe(bwrapPath);
    probes.set(key, result);
  }
  return result;
}

function probe(bwrapPath?: string): SandboxAvailability {
  const bwrap = findBwrap(bwrapPath);
  if (!bwrap) return { available: false, bwrap: null, reason: `bubblewrap not found${bwrapPath ? ` at ${bwrapPath}` : ''} (install the "bubblewrap" package)` };
  const args = bwrapArgs({ writable: [], cwd: '/', env: { PATH: '/usr/bin:/bin' }, network: 'none', userFiles: false });
  const run = spawnSync(bwrap, [...args, '--', '/bin/sh', '-c', 'echo ok'], { env: { PATH: '/usr/bin:/bin' }, encoding: 'utf8', timeout: 15_000 });
  if (run.status === 0 && run.stdout.trim() === 'ok') {
    const version = spawnSync(bwrap, ['--version'], { encoding: 'utf8' }).stdout.trim();
    return { available: true, bwrap, reason: `${version || 'bubblewrap'} at ${bwrap}` };
  }
  const why = (run.error?.message ?? run.stderr ?? '').trim() || `exit code ${run.status}`;
  return { available: false, bwrap, reason: `bubblewrap at ${bwrap} cannot create the sandbox here: ${why}` };
}
