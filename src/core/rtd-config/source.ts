// Reads the YAML text the way Read the Docs does (PyYAML's safe_load: YAML 1.1, so
// `yes`/`on` are booleans and a later duplicate key wins), with limits so hostile input
// fails fast: a size cap, the yaml package's alias-expansion limit ("billion laughs") and
// its own guard against deep nesting. Also answers where a key path sits in the file.

import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, ScalarTag, Tags, YAMLError } from 'yaml';
import { clip, describeKey } from './describe.ts';
import type { Segment } from './describe.ts';

/** Real configuration files are a few KB; anything near this is not one. */
export const MAX_CONFIG_CHARS = 256 * 1024;
/** How much aliases (`*name`) may expand before parsing gives up (the yaml package's own measure). */
export const MAX_ALIAS_COUNT = 100;
const MAX_SYNTAX_PROBLEMS = 10;

export interface SourceProblem {
  code: 'SYNTAX_INVALID' | 'FILE_TOO_LARGE';
  message: string;
  line?: number;
}

export interface Location {
  line?: number;
  /** The scalar exactly as written (`3.10` for what YAML read as the number 3.1), when the whole path was found. */
  raw?: string;
}

export type Locate = (path: readonly Segment[], target: 'key' | 'value') => Location;

export type ReadResult =
  | { ok: true; value: unknown; warnings: string[]; locate: Locate }
  | { ok: false; problems: SourceProblem[] };

const noLocation: Locate = () => ({});

// The yaml package's YAML 1.1 float also matches a lone `.` (read as NaN), so `path: .`
// would not be a string. PyYAML wants a digit on one side of the dot; so does this.
const PYYAML_FLOAT = /^[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)$/;
function pyyamlTags(tags: Tags): Tags {
  return tags.map((tag) => {
    if (typeof tag !== 'object' || tag.tag !== 'tag:yaml.org,2002:float') return tag;
    const scalar = tag as ScalarTag;
    if (scalar.test instanceof RegExp && scalar.test.test('.')) return { ...scalar, test: PYYAML_FLOAT };
    return tag;
  });
}

function lineOf(error: YAMLError): number | undefined {
  return error.linePos?.[0]?.line;
}

/** The parser's message without its own "at line …" suffix and source excerpt. */
function firstLine(error: YAMLError): string {
  const line = error.message.split('\n')[0] ?? error.message;
  return line.replace(/ at line \d+, column \d+:?$/, '').trim();
}

export function readYaml(text: string, fileName: string): ReadResult {
  if (text.length > MAX_CONFIG_CHARS) {
    const size = text.length >= 1024 * 1024 ? `${(text.length / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(text.length / 1024)} KB`;
    return {
      ok: false,
      problems: [{ code: 'FILE_TOO_LARGE', message: `The configuration file ${fileName} is too large (${size}); the maximum is ${MAX_CONFIG_CHARS / 1024} KB.` }],
    };
  }

  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { version: '1.1', customTags: pyyamlTags, lineCounter, prettyErrors: true, uniqueKeys: true });
  } catch (err) {
    return { ok: false, problems: [{ code: 'SYNTAX_INVALID', message: `Could not parse ${fileName} as YAML: ${err instanceof Error ? err.message : String(err)}.` }] };
  }

  const warnings: string[] = [];
  const problems: SourceProblem[] = [];
  for (const error of doc.errors) {
    const line = lineOf(error);
    if (error.code === 'DUPLICATE_KEY') {
      // PyYAML keeps the last value; so does toJS below. Worth knowing, not worth failing.
      const key = clip(text.slice(error.pos[0]).split(/[:\n]/, 1)[0]?.trim() ?? '', 60);
      warnings.push(`Line ${line ?? '?'}: the key ${JSON.stringify(key)} is repeated in the same mapping; the last value is used.`);
      continue;
    }
    if (error.code === 'RESOURCE_EXHAUSTION') {
      problems.push({ code: 'SYNTAX_INVALID', line, message: `${fileName} is nested too deeply to be read (line ${line ?? '?'}).` });
      break;
    }
    problems.push({ code: 'SYNTAX_INVALID', line, message: `YAML syntax error in ${fileName} at line ${line ?? '?'}: ${firstLine(error)}.` });
  }
  for (const warning of doc.warnings) {
    const line = lineOf(warning);
    // PyYAML's safe_load refuses tags it does not know (`!!python/name:…`), so Read the Docs does too.
    if (warning.code === 'TAG_RESOLVE_FAILED') problems.push({ code: 'SYNTAX_INVALID', line, message: `YAML error in ${fileName} at line ${line ?? '?'}: ${firstLine(warning)}; tags are not allowed in this file.` });
    else warnings.push(`Line ${line ?? '?'}: ${firstLine(warning)}.`);
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_SYNTAX_PROBLEMS);
    if (problems.length > shown.length) shown.push({ code: 'SYNTAX_INVALID', message: `… and ${problems.length - shown.length} more YAML errors in ${fileName}.` });
    return { ok: false, problems: shown };
  }

  let value: unknown;
  try {
    // mapAsMap keeps non-string keys (`1:`, `[a, b]:`) as they are, so they can be refused.
    value = doc.toJS({ mapAsMap: true, maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const message =
      err instanceof ReferenceError && /alias/i.test(err.message)
        ? `${fileName} expands its YAML aliases (*name) into too much data (more than ${MAX_ALIAS_COUNT} nodes' worth); write the values out instead of nesting aliases.`
        : err instanceof RangeError
          ? `${fileName} is nested too deeply to be read.`
          : `Could not read ${fileName}: ${err instanceof Error ? err.message : String(err)}.`;
    return { ok: false, problems: [{ code: 'SYNTAX_INVALID', message }] };
  }

  return { ok: true, value, warnings, locate: doc.contents ? makeLocate(doc, text, lineCounter) : noLocation };
}

/** A key as keyOf writes it, so paths built from parsed values find their node again. */
function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return describeKey(key.value);
  if (isSeq(key)) return describeKey([]);
  if (isMap(key)) return describeKey(new Map());
  return undefined;
}

function makeLocate(doc: Document.Parsed, text: string, lineCounter: LineCounter): Locate {
  return (path, target) => {
    let node: unknown = doc.contents;
    // The deepest node found on the way: a missing key is reported at its parent's line.
    let last: unknown = node;
    let found = true;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i]!;
      if (isAlias(node)) node = node.resolve(doc);
      if (isMap(node)) {
        const pair = node.items.find((p) => keyText(p.key) === String(segment));
        if (!pair) {
          found = false;
          break;
        }
        last = pair.key;
        if (i === path.length - 1 && target === 'key') break;
        node = pair.value;
        // A mapping or list value is reported at its key's line (a block one starts below it).
        if (isScalar(node) || isAlias(node)) last = node;
      } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
        node = node.items[segment];
        last = node;
      } else {
        found = false;
        break;
      }
    }
    // Nothing found at the top level: no line is better than the first one.
    if (last === doc.contents && path.length > 0) return {};
    const range = (last as { range?: [number, number, number] } | null)?.range;
    if (!range) return {};
    const location: Location = { line: lineCounter.linePos(range[0]).line };
    if (found && target === 'value' && last === node && isScalar(node)) location.raw = text.slice(range[0], range[1]);
    return location;
  };
}
