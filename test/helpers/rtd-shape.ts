// Compares a Bindery API response with a Read the Docs-shaped fixture (test/fixtures/rtd-api/):
// same keys, same JSON types, same nesting. Values are not compared, only their shape; every
// mismatch is reported at once with its JSON path. Extra keys in the response are allowed
// (Bindery may return a few fields of its own).
//
// Fixture convention:
// - a plain value stands for its JSON type: `"x"` → string, `1` → number, `true` → boolean,
//   `null` → null (the response must be null too), `{…}` → an object compared key by key,
//   `[…]` → an array whose every element must have the shape of the fixture's first element
//   (an empty fixture array only asks for an array);
// - a string of the form `"<t1|t2|…>"` lists the allowed types, chosen from
//   string, number, boolean, null, object, array, any — e.g. `"<string|null>"` for a field
//   Read the Docs sends as a string or null. `"<object>"` / `"<array>"` accept any content.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

type JsonType = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';
const TYPE_NAMES = new Set(['string', 'number', 'boolean', 'null', 'object', 'array', 'any']);

/** The JSON type of a parsed JSON value. */
export function jsonType(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const t = typeof value;
  if (t === 'string' || t === 'number' || t === 'boolean') return t;
  if (t === 'object') return 'object';
  throw new Error(`not a JSON value: ${String(value)}`);
}

/** The allowed types a fixture string declares (`"<string|null>"`), or undefined for a plain string. */
function declaredTypes(fixture: string): string[] | undefined {
  const m = /^<([a-z|]+)>$/.exec(fixture);
  if (!m) return undefined;
  const names = m[1]!.split('|');
  for (const n of names) if (!TYPE_NAMES.has(n)) throw new Error(`fixture type "${fixture}": unknown type "${n}"`);
  return names;
}

const describe = (value: unknown): string => {
  const t = jsonType(value);
  if (t === 'object' || t === 'array' || t === 'null') return t;
  const text = JSON.stringify(value);
  return `${t} ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`;
};

/** Every shape mismatch between `actual` and `fixture`, each as "<path>: <why>". */
export function rtdShapeMismatches(actual: unknown, fixture: unknown, path = '$'): string[] {
  if (typeof fixture === 'string') {
    const types = declaredTypes(fixture);
    if (types) {
      if (types.includes('any') || types.includes(jsonType(actual))) return [];
      return [`${path}: expected ${types.join(' or ')}, got ${describe(actual)}`];
    }
  }
  const want = jsonType(fixture);
  const got = actual === undefined ? 'missing' : jsonType(actual);
  if (got !== want) return [`${path}: expected ${want}, got ${actual === undefined ? 'nothing (key missing)' : describe(actual)}`];
  if (want === 'array') {
    const [shape] = fixture as unknown[];
    if (shape === undefined) return [];
    return (actual as unknown[]).flatMap((item, i) => rtdShapeMismatches(item, shape, `${path}[${i}]`));
  }
  if (want === 'object') {
    const a = actual as Record<string, unknown>;
    return Object.entries(fixture as Record<string, unknown>).flatMap(([key, sub]) =>
      Object.hasOwn(a, key) ? rtdShapeMismatches(a[key], sub, `${path}.${key}`) : [`${path}.${key}: missing`],
    );
  }
  return [];
}

/** Fails (listing every mismatch with its JSON path) unless `actual` has the fixture's shape. */
export function assertRtdShape(actual: unknown, fixture: unknown, path = '$'): void {
  const mismatches = rtdShapeMismatches(actual, fixture, path);
  assert.ok(mismatches.length === 0, `response differs from the Read the Docs shape:\n  ${mismatches.join('\n  ')}`);
}

/** Reads a fixture from test/fixtures/rtd-api/<name>.json. */
export function rtdFixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../fixtures/rtd-api/${name}.json`, import.meta.url), 'utf8'));
}
