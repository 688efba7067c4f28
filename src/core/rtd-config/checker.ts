// The type checks every section uses, modelled on Read the Docs' validate_bool,
// validate_choice, validate_list, validate_dict, validate_string and validate_path. Each
// check records a problem and carries on, so one pass reports everything wrong.

import { closest, describeKey, describeValue, keyOf, plainCopy, quoted } from './describe.ts';
import type { Segment } from './describe.ts';
import { normalizePathPattern, normalizeRepoPath } from './paths.ts';
import { REMOVED_KEYS } from './settings.ts';
import type { Locate } from './source.ts';
import type { ConfigProblem, ConfigProblemCode } from './types.ts';

export type RawMap = Map<unknown, unknown>;

/** Null and missing mean the same for optional keys (`formats:` with nothing after it). */
export function given(value: unknown): boolean {
  return value !== undefined && value !== null;
}

export class Checker {
  readonly problems: ConfigProblem[] = [];
  readonly warnings: string[] = [];
  readonly #locate: Locate;

  constructor(locate: Locate) {
    this.#locate = locate;
  }

  /** Records a problem; `text` follows the key, e.g. `expected one of …, got …`. */
  report(code: ConfigProblemCode, path: readonly Segment[], value: unknown, text: string, target: 'key' | 'value' = 'value'): void {
    const key = keyOf(path);
    const problem: ConfigProblem = { key, value: plainCopy(value), message: key ? `${key}: ${text}` : text, code };
    const line = path.length ? this.#locate(path, target).line : undefined;
    if (line !== undefined) problem.line = line;
    this.problems.push(problem);
  }

  warn(text: string): void {
    this.warnings.push(text);
  }

  /** For a number where a string was expected: how it was written, and how to quote it. */
  quoteHint(path: readonly Segment[], value: unknown): string {
    if (typeof value !== 'number' && typeof value !== 'boolean') return '';
    const raw = this.#locate(path, 'value').raw ?? String(value);
    const read = raw === String(value) ? `YAML reads ${raw} as a ${typeof value}` : `YAML reads the unquoted ${raw} as the ${typeof value} ${String(value)}`;
    return ` (${read}; write it in quotes: ${JSON.stringify(raw)})`;
  }

  mapping(path: readonly Segment[], value: unknown): RawMap | null {
    if (value instanceof Map) return value;
    this.report('INVALID_DICT', path, value, `expected a mapping (key: value pairs), got ${describeValue(value)}.`);
    return null;
  }

  /**
   * The entries of a mapping whose keys are among `allowed`; every other key (and every
   * key that is not a string) is reported as an invalid configuration key.
   */
  known(path: readonly Segment[], map: RawMap, allowed: readonly string[]): Map<string, unknown> {
    const out = new Map<string, unknown>();
    for (const [key, value] of map) {
      if (typeof key !== 'string') {
        this.report('INVALID_KEY_NAME', [...path, describeKey(key)], key, `invalid configuration key: keys must be strings, got ${describeValue(key)}.`, 'key');
      } else if (allowed.includes(key)) {
        out.set(key, value);
      } else {
        this.unknownKey(path, key, allowed);
      }
    }
    return out;
  }

  unknownKey(path: readonly Segment[], key: string, allowed: readonly string[]): void {
    const full = [...path, key];
    const removed = REMOVED_KEYS[keyOf(full)];
    if (removed) {
      this.report('INVALID_KEY_NAME', full, key, `invalid configuration key: this key is no longer supported; ${removed}.`, 'key');
      return;
    }
    const guess = closest(key, allowed);
    const where = path.length ? ` in ${keyOf(path)}` : '';
    this.report(
      'INVALID_KEY_NAME',
      full,
      key,
      `invalid configuration key${guess ? `; did you mean ${JSON.stringify(guess)}?` : '.'} Valid keys${where}: ${allowed.join(', ')}.`,
      'key',
    );
  }

  string(path: readonly Segment[], value: unknown): string | null {
    if (typeof value === 'string') return value;
    this.report('INVALID_STRING', path, value, `expected a string, got ${describeValue(value)}${this.quoteHint(path, value)}.`);
    return null;
  }

  /** A list of strings; `what` names the items in the message ("commands"). */
  stringList(path: readonly Segment[], value: unknown, what = 'strings'): string[] | null {
    if (!Array.isArray(value)) {
      const hint = typeof value === 'string' ? ` (write a list, even for one item: [${quoted(value)}])` : '';
      this.report('INVALID_LIST', path, value, `expected a list of ${what}, got ${describeValue(value)}${hint}.`);
      return null;
    }
    const out: string[] = [];
    value.forEach((item, index) => {
      const text = this.string([...path, index], item);
      if (text !== null) out.push(text);
    });
    return out;
  }

  choice<T extends string>(path: readonly Segment[], value: unknown, choices: readonly T[]): T | null {
    if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
    this.report('INVALID_CHOICE', path, value, `expected one of ${choices.join(', ')}; got ${describeValue(value)}${this.quoteHint(path, value)}.`);
    return null;
  }

  /** Read the Docs' validate_bool: true, false, 0 or 1. */
  bool(path: readonly Segment[], value: unknown, fallback: boolean): boolean {
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'boolean') return value;
    if (value === 0 || value === 1) return value === 1;
    const hint = typeof value === 'string' && /^(true|false|yes|no|on|off)$/i.test(value) ? ' (remove the quotes)' : '';
    this.report('INVALID_BOOL', path, value, `expected a boolean (true or false), got ${describeValue(value)}${hint}.`);
    return fallback;
  }

  /**
   * A path relative to the repository root (Read the Docs' validate_path); returns it normalized.
   * Whether it exists is not asked here: as on Read the Docs, a job may create it before it is
   * used, so the build checks it then. What would leave the checkout is refused now.
   */
  repoPath(path: readonly Segment[], value: unknown, what: string): string | null {
    const text = typeof value === 'string' ? value : this.string(path, value);
    if (text === null) return null;
    const normalized = normalizeRepoPath(text);
    if (!normalized.ok) {
      this.report('INVALID_PATH', path, value, `expected the path of ${what}, relative to the repository root; got ${quoted(text)}: ${normalized.reason}.`);
      return null;
    }
    return normalized.path;
  }

  pathPattern(path: readonly Segment[], value: unknown): string | null {
    const text = this.string(path, value);
    if (text === null) return null;
    const normalized = normalizePathPattern(text);
    if (!normalized.ok) {
      this.report('INVALID_PATH_PATTERN', path, value, `${quoted(text)} is not a valid path pattern: ${normalized.reason}.`);
      return null;
    }
    return normalized.path;
  }
}
