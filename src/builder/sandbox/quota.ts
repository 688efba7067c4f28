// Measures what a command has written against the build's quotas: the output folder alone
// (maxOutputBytes), and every writable folder together (maxDiskBytes, maxFiles: checkout,
// output, home — a flood of empty files is a breach too). Polled while the command runs and
// checked when it ends; a command can overshoot by what it writes between two polls.
// Measured without following links (safe-tree.ts): a planted symlink to / costs nothing.
import { measureTree } from '../safe-tree.ts';

export interface QuotaOptions {
  checkoutDir: string;
  outputDir: string;
  extraWritable?: string[];
  maxOutputBytes: number;
  maxDiskBytes?: number;
  maxFiles?: number;
}

/** The quota breached, or null. */
export async function measureQuota(opts: QuotaOptions): Promise<'output' | 'disk' | null> {
  const output = await measureTree([opts.outputDir], { bytes: opts.maxOutputBytes, entries: Infinity });
  if (output.bytes > opts.maxOutputBytes) return 'output';
  if (opts.maxDiskBytes === undefined && opts.maxFiles === undefined) return null;
  const limits = { bytes: opts.maxDiskBytes ?? Infinity, entries: opts.maxFiles ?? Infinity };
  const all = await measureTree([opts.checkoutDir, opts.outputDir, ...(opts.extraWritable ?? [])], limits);
  return all.bytes > limits.bytes || all.entries > limits.entries ? 'disk' : null;
}
