import { describe, expect, it } from 'vitest';
import { churn, SCRAP_BYTES } from '../../../examples/admin-service/src/churn.js';

describe('churn (the alloc knob)', () => {
  it('walks every piece it allocates', () => {
    // Pieces 0..n-1, each adding (i * 31 & 0xffff) + i: the checksum proves all were read.
    const pieces = Math.ceil((4 * 1024) / SCRAP_BYTES);
    let expected = 0;
    for (let i = 0; i < pieces; i++) expected = (expected + ((i * 31) & 0xffff) + i) | 0;
    expect(churn(4)).toBe(expected);
  });

  it('allocates about the asked KB on the V8 heap', () => {
    const KB = 2048;
    for (let i = 0; i < 20; i++) churn(64); // compiled before measuring
    // A scavenge during one sample hides its growth, so the largest of a few samples counts.
    let grown = 0;
    for (let i = 0; i < 5; i++) {
      const before = process.memoryUsage().heapUsed;
      churn(KB);
      grown = Math.max(grown, process.memoryUsage().heapUsed - before);
    }
    expect(grown / 1024).toBeGreaterThan(KB * 0.8);
    expect(grown / 1024).toBeLessThan(KB * 1.5);
  });
});
