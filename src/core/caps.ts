/**
 * Output caps: everything that can grow (command output, file reads, listings) is cut to a budget,
 * keeping the head and the tail (errors tend to be at the end) and saying what was cut.
 */

export function capText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const keepHead = Math.floor(maxChars * 0.4);
  const keepTail = maxChars - keepHead;
  const cut = text.length - keepHead - keepTail;
  // l10n-ignore: the cut marker is part of a tool result for the model
  return `${text.slice(0, keepHead)}\n[… ${cut} characters cut …]\n${text.slice(text.length - keepTail)}`;
}

/**
 * Collects streamed output in bounded memory: the first `headChars` and a rolling tail of
 * `tailChars`, counting what fell in between. A command printing 30 MB never holds 30 MB.
 */
export class OutputCapture {
  private head = '';
  private tail = '';
  private dropped = 0;

  constructor(
    private readonly headChars: number,
    private readonly tailChars: number,
  ) {}

  push(chunk: string): void {
    if (this.head.length < this.headChars) {
      const room = this.headChars - this.head.length;
      this.head += chunk.slice(0, room);
      chunk = chunk.slice(room);
      if (!chunk) return;
    }
    this.tail += chunk;
    if (this.tail.length > this.tailChars * 2) this.trimTail();
  }

  text(): string {
    this.trimTail();
    if (this.dropped === 0) return this.head + this.tail;
    // l10n-ignore: the cut marker is part of a tool result for the model
    return `${this.head}\n[… ${this.dropped} characters of output cut …]\n${this.tail}`;
  }

  private trimTail(): void {
    const excess = this.tail.length - this.tailChars;
    if (excess > 0) {
      this.dropped += excess;
      this.tail = this.tail.slice(excess);
    }
  }
}
