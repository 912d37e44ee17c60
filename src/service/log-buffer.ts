/**
 * The last N lines a service printed, stdout and stderr interleaved in arrival order.
 * Bounded: a ring of N lines, and a partial line (no newline yet) is cut at MAX_LINE characters.
 */
export const MAX_LINE = 4096;

export class LogBuffer {
  private readonly ring: string[] = [];
  private next = 0;
  private readonly partial = new Map<string, string>();

  constructor(readonly capacity: number) {}

  /** Add a decoded chunk of `stream` (any key: 'stdout', 'stderr'). */
  push(stream: string, chunk: string): void {
    let text = (this.partial.get(stream) ?? '') + chunk;
    let newline = text.indexOf('\n');
    while (newline !== -1) {
      this.add(text.slice(0, newline));
      text = text.slice(newline + 1);
      newline = text.indexOf('\n');
    }
    while (text.length > MAX_LINE) {
      this.add(text.slice(0, MAX_LINE));
      text = text.slice(MAX_LINE);
    }
    this.partial.set(stream, text);
  }

  /** Complete lines in order, then any unfinished ones (a crash often ends mid-line). */
  lines(): string[] {
    if (this.capacity <= 0) return [];
    const full =
      this.ring.length < this.capacity
        ? [...this.ring]
        : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
    const pending = [...this.partial.values()].filter((p) => p !== '');
    return [...full, ...pending].slice(-this.capacity);
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
