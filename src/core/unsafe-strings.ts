// Strings PostgreSQL would refuse or alter: a NUL (it cannot store one: the write would fail
// with a 500) or a lone surrogate (stored altered). Both adapters refuse them at the door,
// naming the field, before any rule or query sees them: API v3 (web/api/json-safety.ts) and
// the dashboard's forms (web/dashboard/plugin.ts).

export const UNSAFE_STRING_MESSAGE = 'Null characters and unpaired surrogates are not allowed.';

/** The path of the first string under `value` that PostgreSQL would refuse or alter, or null. */
export function badStringPath(value: unknown, base: string): string | null {
  // Iterative: a deeply nested body must not overflow the stack.
  const stack: Array<[unknown, string]> = [[value, base]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000') || !v.isWellFormed()) return path;
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push([item, `${path}.${i}`]));
    } else if (v && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) stack.push([item, path ? `${path}.${k}` : k]);
    }
  }
  return null;
}
