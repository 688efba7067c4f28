// Arguments of the client commands: positionals plus the few options a command declares.
// Anything else is a usage error (exit 2) that names the culprit, so a typo never passes.

export class UsageError extends Error {}

export interface ArgSpec {
  /** Options without a value, such as `--wait`. */
  booleans?: string[];
  /** Options with a value (`--name value` or `--name=value`). */
  values?: string[];
  /** Names of the positionals, for messages; a trailing `?` marks an optional one. */
  positionals: string[];
}

export interface Args {
  positionals: string[];
  flags: Set<string>;
  values: Map<string, string>;
}

export function parseArgs(argv: string[], spec: ArgSpec): Args {
  const booleans = new Set(['--help', ...(spec.booleans ?? [])]);
  const valued = new Set(spec.values ?? []);
  const args: Args = { positionals: [], flags: new Set(), values: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      args.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h') {
      args.flags.add('--help');
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      args.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (booleans.has(name)) {
      if (eq > 0) throw new UsageError(`option ${name} takes no value`);
      args.flags.add(name);
    } else if (valued.has(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`option ${name} needs a value`);
      args.values.set(name, value);
    } else {
      throw new UsageError(`unknown option ${name}`);
    }
  }
  if (args.flags.has('--help')) return args;
  const required = spec.positionals.filter((p) => !p.endsWith('?'));
  if (args.positionals.length < required.length) throw new UsageError(`missing ${required.slice(args.positionals.length).map((p) => `<${p}>`).join(' ')}`);
  if (args.positionals.length > spec.positionals.length) throw new UsageError(`unexpected argument "${args.positionals[spec.positionals.length]}"`);
  for (const p of args.positionals) if (p === '') throw new UsageError('an argument is empty');
  return args;
}

/** A positive integer argument, such as a build id. */
export function positiveInteger(name: string, raw: string, max = 2147483647): number {
  if (!/^\d{1,10}$/.test(raw) || Number(raw) < 1 || Number(raw) > max) throw new UsageError(`${name} must be a whole number from 1 to ${max}, not "${raw}"`);
  return Number(raw);
}
