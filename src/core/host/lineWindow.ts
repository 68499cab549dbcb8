/**
 * Lines startLine..endLine of a file too large to read whole, streamed in bounded memory. Reading
 * stops at endLine (a huge or sparse file is not scanned to its end): the window says whether more
 * follows, and the total only when the end was reached.
 */
// l10n-ignore-file: host errors and notes are tool results for the model
import type { FileHandle } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { HostError, type LineWindow } from './host';

const MAX_LINE_CHARS_IN_WINDOW = 2000;
/** A line longer than this ends a window (what was kept of it is shown); nothing reads on for ever. */
const MAX_LINE_SCAN = 1024 * 1024;
/** A window is looked for within this much of a file. */
const MAX_SCAN_BYTES = 256 * 1024 * 1024;

export async function readLineWindow(handle: FileHandle, rel: string, startLine: number, endLine: number, signal?: AbortSignal): Promise<LineWindow> {
  const window = new WindowLines(startLine, endLine);
  const decoder = new StringDecoder('utf8');
  const buffer = Buffer.alloc(256 * 1024);
  let more = false;
  let scanned = 0;
  let lineBytes = 0;
  for (;;) {
    if (signal?.aborted) throw new HostError('The read was cancelled.');
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
    if (bytesRead === 0) break;
    scanned += bytesRead;
    const text = decoder.write(buffer.subarray(0, bytesRead));
    const from = window.addLines(text);
    if (window.lineNo > endLine) {
      // Anything after the last line asked for means more follows; no need to read on.
      more = from < text.length || (await handle.read(Buffer.alloc(1), 0, 1, null)).bytesRead > 0;
      break;
    }
    window.append(text.slice(from));
    lineBytes = (from > 0 ? 0 : lineBytes) + (text.length - from);
    if (window.lineNo >= startLine && lineBytes > MAX_LINE_SCAN) {
      // One endless line (a sparse or minified file): what was kept of it ends the window.
      window.take();
      more = true;
      break;
    }
    if (scanned > MAX_SCAN_BYTES) {
      if (window.lineNo < startLine)
        throw new HostError(
          `${rel}: line ${startLine} is not within the first ${MAX_SCAN_BYTES / (1024 * 1024)} MB of the file; use search to find what you need in it.`,
        );
      more = true;
      break;
    }
  }
  if (!more && window.lineNo <= endLine && window.partial) window.take();
  const lines = window.lines.map((l) => l.replace(/\r$/, ''));
  return more ? { path: rel, startLine, lines, more: true } : { path: rel, startLine, lines, totalLines: window.lineNo - 1 };
}

/** The lines of the window as they stream by; each line in it kept up to MAX_LINE_CHARS_IN_WINDOW. */
class WindowLines {
  readonly lines: string[] = [];
  lineNo = 1;
  private current = '';
  private cut = false;

  constructor(
    private readonly startLine: number,
    private readonly endLine: number,
  ) {}

  get partial(): boolean {
    return this.current.length > 0 || this.cut;
  }

  /** Takes the complete lines of a chunk (up to the window's end); returns where the unfinished rest starts. */
  addLines(text: string): number {
    let from = 0;
    for (let nl = text.indexOf('\n', from); nl !== -1; nl = text.indexOf('\n', from)) {
      this.append(text.slice(from, nl));
      this.take();
      from = nl + 1;
      if (this.lineNo > this.endLine) break;
    }
    return from;
  }

  append(part: string): void {
    if (this.lineNo < this.startLine || this.lineNo > this.endLine) return;
    const room = MAX_LINE_CHARS_IN_WINDOW - this.current.length;
    if (part.length > room) this.cut = true;
    this.current += part.slice(0, Math.max(0, room));
  }

  take(): void {
    if (this.lineNo >= this.startLine && this.lineNo <= this.endLine) this.lines.push(this.cut ? `${this.current}…` : this.current);
    this.lineNo++;
    this.current = '';
    this.cut = false;
  }
}
