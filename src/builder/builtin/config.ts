// Reads mkdocs.yml and checks the handful of keys the builtin builder honours
// (site_name, docs_dir, nav, use_directory_urls). Every other key is ignored, so
// configs written for MkDocs plugins and themes still build.

import { lstat, readFile } from 'node:fs/promises';
import path from 'node:path';
import { BuildError, ConfigError } from '../../core/errors.ts';
import { resolveInside } from './paths.ts';
import { parseYaml } from './yaml.ts';

export interface SiteConfig {
  /** Config file path relative to the checkout, or null when building without one. */
  configFile: string | null;
  /** site_name as written, or null to let the caller pick a default. */
  siteName: string | null;
  /** docs_dir as written (relative to the checkout), checked later by resolveInside. */
  docsDir: string;
  useDirectoryUrls: boolean;
  /** The raw `nav` value (shape checked by nav.ts once pages are known), or null. */
  nav: unknown[] | null;
}

const DEFAULT_CONFIG_NAMES = ['mkdocs.yml', 'mkdocs.yaml'];

/** Loads the config named by `configFile`, or mkdocs.yml when present, or defaults. */
export async function loadConfig(
  sourceRoot: string,
  configFile: string | undefined,
  log: (line: string) => void,
): Promise<SiteConfig> {
  const name = configFile ?? (await findDefaultConfig(sourceRoot));
  if (name === null) {
    log('no mkdocs.yml found: using defaults (docs_dir: docs)');
    return { configFile: null, siteName: null, docsDir: 'docs', useDirectoryUrls: true, nav: null };
  }
  const file = await resolveInside(sourceRoot, name, 'configuration file');
  if (file === null) {
    throw new BuildError('config-missing', `the configuration file ${name} does not exist in the repository; check the path or remove the setting to use mkdocs.yml.`);
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new BuildError('config-unreadable', `the configuration file ${name} could not be read; it must be a YAML file, not a folder.`);
  }
  const parsed = parseYaml(text);
  if (parsed.error !== null) {
    throw new ConfigError('mkdocs.yml', `${name} is not valid YAML: ${parsed.error}`);
  }
  for (const tag of parsed.ignoredTags) log(`${name}: ignored tag ${tag} (only meaningful to Python MkDocs)`);
  log(`using configuration ${name}`);
  return readKeys(name, parsed.value);
}

async function findDefaultConfig(sourceRoot: string): Promise<string | null> {
  for (const candidate of DEFAULT_CONFIG_NAMES) {
    try {
      // lstat: a symlinked mkdocs.yml still goes through resolveInside's checks.
      await lstat(path.join(sourceRoot, candidate));
      return candidate;
    } catch {
      // not there, try the next name
    }
  }
  return null;
}

function readKeys(name: string, value: unknown): SiteConfig {
  if (value === null || value === undefined) {
    // An empty file is valid for MkDocs' purposes here: all defaults.
    return { configFile: name, siteName: null, docsDir: 'docs', useDirectoryUrls: true, nav: null };
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError('mkdocs.yml', `${name} must contain a mapping of settings (such as "site_name: My Docs"), but it contains ${describe(value)}.`);
  }
  const raw = value as Record<string, unknown>;

  let siteName: string | null = null;
  if (raw.site_name !== undefined && raw.site_name !== null) {
    if (typeof raw.site_name !== 'string' && typeof raw.site_name !== 'number') {
      throw new ConfigError('site_name', `site_name in ${name} must be text, but it is ${describe(raw.site_name)}.`);
    }
    siteName = String(raw.site_name).trim() || null;
  }

  let docsDir = 'docs';
  if (raw.docs_dir !== undefined && raw.docs_dir !== null) {
    if (typeof raw.docs_dir !== 'string') {
      throw new ConfigError('docs_dir', `docs_dir in ${name} must be a folder name such as "docs", but it is ${describe(raw.docs_dir)}.`);
    }
    docsDir = raw.docs_dir;
  }

  let useDirectoryUrls = true;
  if (raw.use_directory_urls !== undefined && raw.use_directory_urls !== null) {
    if (typeof raw.use_directory_urls !== 'boolean') {
      throw new ConfigError('use_directory_urls', `use_directory_urls in ${name} must be true or false, but it is ${describe(raw.use_directory_urls)}.`);
    }
    useDirectoryUrls = raw.use_directory_urls;
  }

  let nav: unknown[] | null = null;
  if (raw.nav !== undefined && raw.nav !== null) {
    if (!Array.isArray(raw.nav)) {
      throw new ConfigError('nav', `nav in ${name} must be a list (each line starting with "- "), such as "- Home: index.md", but it is ${describe(raw.nav)}.`);
    }
    nav = raw.nav;
  }

  return { configFile: name, siteName, docsDir, useDirectoryUrls, nav };
}

/** A short description of a YAML value for error messages. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text ${JSON.stringify(value)}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}
