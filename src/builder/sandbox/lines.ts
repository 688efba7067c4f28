// Turns a command's output bytes into log lines with bounded memory, and keeps the build's
// log budget. A command printing gigabytes, with or without newlines, costs at most one
// capped line of memory here, and the build stops once its budget is spent.
import { StringDecoder } from 'node:string_decoder';

/** Longest line kept in the log; the rest of a longer line is dropped, not buffered. */
export const MAX_LINE = 16_384;

/** Splits on \n, \r\n and lone \r (progress bars), like readline, but never buffers more than MAX_LINE. */
export class LineSplitter {
  private readonly emit: (line: string) => void;
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  /** The current line was already emitted truncated; drop the rest of it. */
  private dropping = false;
  /** The previous chunk ended in \r, so a leading \n belongs to that break. */
  private lastCR = false;

  constructor(emit: (line: string) => void) {
    this.emit = emit;
  }

  push(chunk: Buffer): void {
    this.text(this.decoder.write(chunk));
  }

  /** Emits what is left of an unterminated last line. */
  end(): void {
    this.text(this.decoder.end());
    if (this.partial.length > 0 && !this.dropping) this.emit(this.partial);
    this.partial = '';
    this.dropping = false;
  }

  private text(s: string): void {
    let start = 0;
    if (this.lastCR && s.startsWith('\n')) start = 1;
    if (s.length > 0) this.lastCR = false;
    const breaks = /\r\n|\r|\n/g;
    breaks.lastIndex = start;
    for (let m = breaks.exec(s); m; m = breaks.exec(s)) {
      this.piece(s.slice(start, m.index));
      if (!this.dropping) this.emit(this.partial);
      this.partial = '';
      this.dropping = false;
      start = m.index + m[0].length;
      if (m[0] === '\r' && start === s.length) this.lastCR = true;
    }
    this.piece(s.slice(start));
  }

  private piece(s: string): void {
    if (this.dropping || s.length === 0) return;
    this.partial += s;
    if (this.partial.length > MAX_LINE) {
      this.emit(`${this.partial.slice(0, MAX_LINE)}… [line truncated]`);
      this.partial = '';
      this.dropping = true;
    }
  }
}

/** The log bytes one build may still write; shared by all its commands. */
export class LogBudget {
  readonly maxBytes: number;
  used = 0;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  get exceeded(): boolean {
    return this.used > this.maxBytes;
  }

  /** Records `n` more bytes; returns how many of them still fit in the budget. */
  take(n: number): number {
    const fit = Math.max(0, Math.min(n, this.maxBytes - this.used));
    this.used += n;
    return fit;
  }
}
