/**
 * The last N lines a service printed, stdout and stderr interleaved in arrival order.
 * Bounded: a ring of N lines, and a partial line (no newline yet) is cut at MAX_LINE characters.
 *
 * The lines come out redacted (src/redact/): they go into error messages, the job summary, the
 * comment and the result, and a service that prints its environment must not publish it. Lines
 * are stored as printed and redacted when read (rarely: on a failure), so a busy service's
 * output costs nothing more while it is measured; a line too long to keep whole is redacted
 * before it is cut, with HOLD characters of slack so a secret still arriving is not cut in two.
 */
import { redact } from '../redact/index.js';

export const MAX_LINE = 4096;
/** How far past MAX_LINE a partial line may grow before it is cut (the longest secret kept whole). */
const HOLD = 1024;

export class LogBuffer {
  private readonly ring: string[] = [];
  private next = 0;
  private readonly partial = new Map<string, string>();

  constructor(
    readonly capacity: number,
    private readonly redactText: (text: string) => string = redact,
  ) {}

  /** Add a decoded chunk of `stream` (any key: 'stdout', 'stderr'). */
  push(stream: string, chunk: string): void {
    let text = (this.partial.get(stream) ?? '') + chunk;
    let newline = text.indexOf('\n');
    while (newline !== -1) {
      this.add(text.slice(0, newline));
      text = text.slice(newline + 1);
      newline = text.indexOf('\n');
    }
    while (text.length > MAX_LINE + HOLD) {
      text = this.redactText(text);
      this.add(text.slice(0, MAX_LINE));
      text = text.slice(MAX_LINE);
    }
    this.partial.set(stream, text);
  }

  /** Complete lines in order, then any unfinished ones (a crash often ends mid-line), redacted. */
  lines(): string[] {
    if (this.capacity <= 0) return [];
    const full =
      this.ring.length < this.capacity
        ? [...this.ring]
        : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
    const pending = [...this.partial.values()]
      .filter((p) => p !== '')
      .flatMap((p) => cut(this.redactText(p)));
    return [...full.map((line) => this.redactText(line)), ...pending].slice(-this.capacity);
  }

  private add(line: string): void {
    if (this.capacity <= 0) return;
    const clean = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (this.ring.length < this.capacity) {
      this.ring.push(clean);
    } else {
      this.ring[this.next] = clean;
      this.next = (this.next + 1) % this.capacity;
    }
  }
}

/** `text` in pieces of at most MAX_LINE characters. */
function cut(text: string): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < text.length; at += MAX_LINE) pieces.push(text.slice(at, at + MAX_LINE));
  return pieces;
}
