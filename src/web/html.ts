// Server-side HTML templates as tagged template literals: every interpolated value is
// escaped unless it is itself Html, so user data (project names, log lines, redirect
// targets) can only ever be text. Node's type stripping cannot run TSX, hence this.

const HTML = Symbol('html');

/** A fragment of trusted HTML. Only `html` and `raw` make one. */
export interface Html {
  readonly [HTML]: true;
  readonly value: string;
}

const make = (value: string): Html => ({ [HTML]: true, value });

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export function isHtml(value: unknown): value is Html {
  return typeof value === 'object' && value !== null && HTML in value;
}

type Value = Html | string | number | boolean | null | undefined | Value[];

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (isHtml(value)) return value.value;
  return escapeHtml(String(value));
}

/** `html\`<p>${name}</p>\`` — `name` is escaped; nested `html` fragments and arrays of them are not. */
export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return make(out);
}

/** Marks a constant string as HTML. Never pass user data. */
export function raw(trusted: string): Html {
  return make(trusted);
}
