// The network of a build step that needs one (install steps, `build.commands`): a user-mode
// network (slirp4netns) attached to the sandbox's own network namespace, so the step reaches
// the outside world but never the host: slirp's alias for the host's loopback is disabled,
// and every loopback, private, link-local and reserved range — and each of the host's own
// addresses — is an `unreachable` route inside the namespace, set before the command starts
// and out of its reach (it has no capabilities). Steps without network get an empty namespace.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { BuildError } from '../../core/errors.ts';
import { BLOCKED_IPV4_RANGES } from '../../core/address-policy.ts';

/** slirp4netns' fixed addresses: the namespace is 10.0.2.100/24, its DNS forwarder 10.0.2.3. */
export const SLIRP_DNS = '10.0.2.3';
/** The sandbox's /etc/resolv.conf when it has a network: slirp's forwarder, nothing of the host's. */
export const RESOLV_CONF = `nameserver ${SLIRP_DNS}\noptions edns0\n`;

const SLIRP_PATHS = ['/usr/bin/slirp4netns', '/usr/local/bin/slirp4netns'];
const READY_TIMEOUT_MS = 10_000;

export interface NetworkSupport {
  available: boolean;
  reason: string;
  slirp: string | null;
}

let probed: NetworkSupport | null = null;

/** Whether the user-mode network can be set up here (slirp4netns, nsenter and ip installed; root). */
export function networkSupport(): NetworkSupport {
  if (probed) return probed;
  const slirp = SLIRP_PATHS.find((p) => fs.existsSync(p)) ?? null;
  if (!slirp) probed = { available: false, slirp, reason: 'slirp4netns is not installed (install the "slirp4netns" package)' };
  else if (!fs.existsSync('/usr/bin/nsenter') || !['/usr/sbin/ip', '/usr/bin/ip', '/sbin/ip', '/bin/ip'].some((p) => fs.existsSync(p))) {
    probed = { available: false, slirp, reason: 'nsenter and ip are needed (packages "util-linux" and "iproute2")' };
  } else if (process.getuid?.() !== 0) {
    // Joining the sandbox's network namespace to configure it takes CAP_SYS_ADMIN over it.
    probed = { available: false, slirp, reason: 'the builder is not root, so it cannot configure the sandbox network' };
  } else {
    const version = spawnSync(slirp, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0]?.trim();
    probed = { available: true, slirp, reason: version || 'slirp4netns' };
  }
  return probed;
}

/** Routes that make private ranges and the host's own addresses unreachable, as `ip -batch` lines. */
export function blockedRoutes(hostAddresses: string[] = ownAddresses()): string {
  const lines = BLOCKED_IPV4_RANGES.map(([address, prefix]) => `route add unreachable ${address}/${prefix}`);
  for (const address of hostAddresses) lines.push(`route add unreachable ${address}/32`);
  return `${[...new Set(lines)].join('\n')}\n`;
}

/** The host's IPv4 addresses: a public one would otherwise be reachable through slirp. */
function ownAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((i): i is os.NetworkInterfaceInfo => !!i && i.family === 'IPv4')
    .map((i) => i.address);
}

/** A running user-mode network for one sandboxed command; stop() when the command ends. */
export class UserNetwork {
  readonly #slirp: ChildProcess;

  private constructor(slirp: ChildProcess) {
    this.#slirp = slirp;
  }

  /** Attaches a network to the namespace of `pid` (the sandbox's first process) and blocks the host. */
  static async attach(pid: number): Promise<UserNetwork> {
    const support = networkSupport();
    if (!support.available) throw new BuildError('network-unavailable', `This step needs the network, but the build network cannot be set up: ${support.reason}.`);
    const slirp = spawn(support.slirp!, [
      '--configure', '--mtu=65520', '--disable-host-loopback', '--enable-sandbox', '--enable-seccomp',
      '--ready-fd', '3', '--netns-type=path', `/proc/${pid}/ns/net`, 'tap0',
    ], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    const network = new UserNetwork(slirp);
    try {
      await waitReady(slirp);
      // nsenter as root (CAP_NET_ADMIN over every namespace); the command itself cannot undo this.
      const routes = spawnSync('/usr/bin/nsenter', ['-t', String(pid), '-n', 'ip', '-batch', '-'], { input: blockedRoutes(), encoding: 'utf8', timeout: READY_TIMEOUT_MS, env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } });
      if (routes.status !== 0) throw new BuildError('sandbox-setup', `Could not restrict the build network: ${(routes.stderr || routes.error?.message || '').trim()}`);
      return network;
    } catch (err) {
      network.stop();
      throw err;
    }
  }

  stop(): void {
    if (this.#slirp.exitCode === null) this.#slirp.kill('SIGKILL');
  }
}

function waitReady(slirp: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    slirp.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    const timer = setTimeout(() => fail(`no answer within ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new BuildError('sandbox-setup', `Could not start the build network: ${why} ${stderr.trim()}`.trim()));
    };
    (slirp.stdio[3] as NodeJS.ReadableStream).once('data', () => {
      clearTimeout(timer);
      resolve();
    });
    slirp.once('exit', (code) => fail(`slirp4netns exited with code ${code}.`));
    slirp.once('error', (err) => fail(err.message));
  });
}
