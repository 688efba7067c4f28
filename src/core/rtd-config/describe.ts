// Wording helpers for problem messages: how a key path is written, how a value found is
// shown (short, whatever its size or depth), and the closest valid key for a typo.

export type Segment = string | number;

const PLAIN_SEGMENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `['python', 'install', 0, 'method']` → `python.install[0].method`; odd keys are quoted: `search.ranking["api/*"]`. */
export function keyOf(path: readonly Segment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (PLAIN_SEGMENT.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(clip(segment, 60))}]`;
  }
  return out;
}

export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** A string in double quotes, shortened. */
export function quoted(text: string, max = 60): string {
  return JSON.stringify(clip(text, max));
}

/** The value found, for a message: `the string "yes"`, `the number 3.1`, `a list of 3 items`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (an empty value)';
  if (typeof value === 'string') return `the string ${quoted(value)}`;
  if (typeof value === 'number' || typeof value === 'bigint') return `the number ${String(value)}`;
  if (typeof value === 'boolean') return `the boolean ${String(value)}`;
  if (value instanceof Date) return `the date ${Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString().slice(0, 10)}`;
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (value instanceof Map) {
    const keys = [...value.keys()].slice(0, 5).map((k) => (typeof k === 'string' ? clip(k, 30) : String(k)));
    return value.size === 0 ? 'an empty mapping' : `a mapping (with key${value.size === 1 ? '' : 's'} ${keys.join(', ')}${value.size > 5 ? ', …' : ''})`;
  }
  return `a value of type ${typeof value}`;
}

/** A key that is not a string (YAML allows numbers, booleans, null, even lists as keys). */
export function describeKey(key: unknown): string {
  if (typeof key === 'string') return key;
  if (key === null) return 'null';
  if (typeof key === 'number' || typeof key === 'boolean' || typeof key === 'bigint') return String(key);
  return Array.isArray(key) ? '[…]' : key instanceof Map ? '{…}' : String(key);
}

/** A JSON-friendly, size-bounded copy of a value for `ConfigProblem.value` (maps become objects). */
export function plainCopy(value: unknown, depth = 0): unknown {
  if (value instanceof Map) {
    if (depth >= 2) return '{…}';
    const out: Record<string, unknown> = {};
    let n = 0;
    for (const [k, v] of value) {
      if (n++ >= 20) break;
      Object.defineProperty(out, describeKey(k), { value: plainCopy(v, depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  if (Array.isArray(value)) {
    if (depth >= 2) return '[…]';
    return value.slice(0, 20).map((v) => plainCopy(v, depth + 1));
  }
  if (typeof value === 'string') return clip(value, 200);
  return value;
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
function distance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const prev = rows[i - 1]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/** The valid key a typo most likely meant, or null when none is close. */
export function closest(word: string, candidates: readonly string[]): string | null {
  if (word.length > 40) return null;
  const lower = word.toLowerCase().replace(/-/g, '_');
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(lower, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const allowed = Math.max(1, Math.min(3, Math.floor((best?.length ?? 0) / 3)));
  return best !== null && bestDistance <= allowed ? best : null;
}
