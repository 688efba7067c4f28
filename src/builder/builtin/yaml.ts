// Parses YAML the way MkDocs users write it. Real mkdocs.yml files carry PyYAML
// tags (`!!python/name:…`, `!ENV`, `!relative`) that only mean something to Python;
// they must not fail the build, and `!ENV` must never read this server's environment.

import YAML from 'yaml';
import type { CollectionTag, ScalarTag } from 'yaml';

export interface ParsedYaml {
  value: unknown;
  /** First error, as the parser words it (includes line and column), or null. */
  error: string | null;
  /** Tags that were ignored, e.g. "!!python/name:material.extensions.emoji.twemoji (line 12)". */
  ignoredTags: string[];
}

// `!ENV NAME` and `!ENV [NAME, …, default]`: resolve to the written default only.
// Reading process.env here would leak the build server's secrets into the page
// (`site_name: !ENV DATABASE_URL`).
const envScalar: ScalarTag = { tag: '!ENV', resolve: () => null };
const envSeq: CollectionTag = {
  tag: '!ENV',
  collection: 'seq',
  resolve(seq) {
    const items = seq.items.map((item) => (YAML.isScalar(item) ? item.value : null));
    return items.length > 1 ? items[items.length - 1] : null;
  },
};
// `!relative $config_dir/…` is a path for a Python plugin: keep it as a plain string.
const relativeScalar: ScalarTag = { tag: '!relative', resolve: (value) => value };

export function parseYaml(text: string): ParsedYaml {
  const doc = YAML.parseDocument(text, {
    customTags: [envScalar, envSeq, relativeScalar],
    // PyYAML lets a later duplicate key win; refusing them would reject files MkDocs accepts.
    uniqueKeys: false,
    prettyErrors: true,
  });
  const ignoredTags: string[] = [];
  for (const warning of doc.warnings) {
    // Any other unknown tag (all the `!!python/…` ones) resolves as an untagged
    // value; yaml reports it as a warning, which we only pass on to the log.
    if (warning.code === 'TAG_RESOLVE_FAILED') {
      const firstLine = warning.message.split('\n')[0] ?? warning.message;
      ignoredTags.push(firstLine.replace(/:$/, '').replace(/^Unresolved tag: /, '').replace(/^tag:yaml\.org,2002:/, '!!'));
    }
  }
  const first = doc.errors[0];
  if (first) return { value: undefined, error: first.message.trimEnd(), ignoredTags };
  try {
    // maxAliasCount stops "billion laughs" alias bombs from exhausting memory.
    return { value: doc.toJS({ maxAliasCount: 100 }), error: null, ignoredTags };
  } catch (err) {
    return { value: undefined, error: err instanceof Error ? err.message : String(err), ignoredTags };
  }
}
