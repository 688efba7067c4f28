// What the client writes: results on stdout (tables, or the raw JSON with --json), messages
// on stderr. Text from the server — names, build logs made by repository commands — is
// stripped of control characters first, so it cannot drive the terminal with escapes.

export const print = (text: string) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
export const note = (text: string) => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);

export const printJson = (value: unknown) => print(JSON.stringify(value, null, 2));

/** Control characters (C0 but tab, DEL, C1) shown as U+FFFD. */
export const clean = (text: string) => text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, '\uFFFD');

/** Columns padded to their widest cell; the last column is not padded. */
export function table(headers: string[], rows: string[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(clean))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

export function duration(seconds: number | null): string {
  if (seconds === null) return '';
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

export function ago(iso: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (Number.isNaN(s)) return iso;
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return iso.slice(0, 10);
}

/** A commit id shortened as git does; refs pass through. */
export const shortRef = (ref: string) => (/^[0-9a-f]{40}$/.test(ref) ? ref.slice(0, 12) : ref);

export const yesNo = (b: boolean) => (b ? 'yes' : 'no');

export function oneLine(text: string, max = 70): string {
  const first = text.split('\n')[0]!.trim();
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}
