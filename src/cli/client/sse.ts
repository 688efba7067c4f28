// Server-Sent Events read as the HTML standard's EventSource reads them (§9.2.6), without a
// package: lines end in CRLF, LF or CR (a CRLF may be split across chunks), `:` lines are
// comments, an event is dispatched at a blank line, and one left unfinished at EOF is dropped.

export interface SseEvent {
  /** The `event:` field, or `message` when there was none. */
  type: string;
  /** The `data:` lines joined with LF. */
  data: string;
  /** The last `id:` seen so far (it carries over to later events, as in EventSource). */
  lastEventId: string;
}

export class SseParser {
  /** Last event id of a dispatched event: what to send back as `Last-Event-ID` to resume. */
  lastEventId = '';
  /** Reconnection delay the server asked for with `retry:`, in milliseconds. */
  retryMs: number | null = null;
  #partial = '';
  #afterCR = false;
  #type = '';
  #data = '';
  #id = '';

  /** Feeds decoded text; returns the events completed by it. */
  push(text: string): SseEvent[] {
    const events: SseEvent[] = [];
    let start = 0;
    // The LF of a CRLF whose CR ended the previous chunk is not a second (blank) line.
    if (this.#afterCR && text.length > 0) {
      if (text.charCodeAt(0) === 10) start = 1;
      this.#afterCR = false;
    }
    for (let i = start; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.#line(this.#partial + text.slice(start, i), events);
      this.#partial = '';
      if (c === 13) {
        if (i + 1 === text.length) this.#afterCR = true;
        else if (text.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
    }
    this.#partial += text.slice(start);
    return events;
  }

  #line(line: string, events: SseEvent[]): void {
    if (line === '') return this.#dispatch(events);
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.#type = value;
    else if (field === 'data') this.#data += `${value}\n`;
    else if (field === 'id' && !value.includes('\0')) this.#id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
  }

  #dispatch(events: SseEvent[]): void {
    this.lastEventId = this.#id;
    // `data:` with nothing after it still makes an event (data ""); no data line at all does not.
    if (this.#data !== '') events.push({ type: this.#type || 'message', data: this.#data.slice(0, -1), lastEventId: this.#id });
    this.#type = '';
    this.#data = '';
  }
}

/** The events of a response body; TextDecoder joins UTF-8 sequences split across chunks and drops a BOM. */
export async function* readEvents(body: ReadableStream<Uint8Array>, parser = new SseParser()): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  for await (const chunk of body) yield* parser.push(decoder.decode(chunk, { stream: true }));
  yield* parser.push(decoder.decode());
}
