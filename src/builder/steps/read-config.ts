// Reads the repository's `.readthedocs.yaml` (or `.yml`), the file real projects already
// have. No file is fine (the builder detects the documentation type); an invalid one
// fails the build listing every problem, each naming the key, the value and what was expected.
import fs from 'node:fs/promises';
import { constants, existsSync, lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../core/errors.ts';
import { parseRtdConfig, RTD_CONFIG_FILE_NAMES, type RtdConfig } from '../../core/rtd-config/index.ts';

export const CONFIG_FILES: readonly string[] = RTD_CONFIG_FILE_NAMES;
const MAX_CONFIG_BYTES = 1024 * 1024;

export interface LoadedConfig {
  file: string;
  config: RtdConfig;
  warnings: string[];
}

export async function readBuildConfig(checkout: string): Promise<LoadedConfig | null> {
  const file = CONFIG_FILES.find((name) => existsSync(path.join(checkout, name)));
  if (!file) return null;
  const full = path.join(checkout, file);
  const stat = lstatSync(full);
  if (!stat.isFile()) throw new ConfigError('', `${file} must be a regular file, not a symbolic link or folder.`);
  if (stat.size > MAX_CONFIG_BYTES) throw new ConfigError('', `${file} is ${stat.size} bytes; the limit is ${MAX_CONFIG_BYTES}.`);
  // Never through a link: the file is the repository's, and its text can end up in an error message.
  const handle = await fs.open(full, constants.O_RDONLY | constants.O_NOFOLLOW);
  const text = await handle.readFile('utf8').finally(() => handle.close());
  // Paths in the file must stay inside the checkout and exist there, symlinks resolved (no probing the host).
  const root = realpathSync(checkout);
  const exists = (rel: string): boolean => {
    const target = path.resolve(checkout, rel);
    if (!(target === checkout || target.startsWith(checkout + path.sep)) || !existsSync(target)) return false;
    const real = realpathSync(target);
    return real === root || real.startsWith(root + path.sep);
  };
  const result = parseRtdConfig(text, file, exists);
  if (!result.ok) {
    const lines = result.problems.map((p) => `- ${p.message}`);
    const first = result.problems[0]!;
    throw new ConfigError(first.key, `Invalid configuration in ${file} (${result.problems.length} problem${result.problems.length > 1 ? 's' : ''}):\n${lines.join('\n')}`);
  }
  return { file, config: result.config, warnings: result.warnings };
}
