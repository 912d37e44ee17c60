/**
 * The slow knob's waits, timed for real: they run with the measuring tests, one file at a time, as a
 * neighbour on the 2-core machine makes a fraction of a millisecond late.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { PreciseWaiter } from '../../../examples/admin-service/src/precise-wait.js';

const waiter = new PreciseWaiter();
afterAll(() => waiter.close());

/** Milliseconds each of `n` waits of `ms` took, `concurrent` at a time. */
async function timed(ms: number, n: number, concurrent = 1): Promise<number[]> {
  const took: number[] = [];
  for (let i = 0; i < n / concurrent; i++) {
    await Promise.all(
      Array.from({ length: concurrent }, async () => {
        const start = performance.now();
        await waiter.wait(ms);
        took.push(performance.now() - start);
      }),
    );
  }
  return took.sort((a, b) => a - b);
}

const medianOf = (sorted: number[]) => sorted[Math.floor(sorted.length / 2)] as number;

describe('PreciseWaiter (the slow knob)', () => {
  it('waits a fraction of a millisecond', async () => {
    await timed(0.3, 20); // the worker is up and has learnt how late the kernel wakes it
    const took = await timed(0.3, 60);
    // Never much early; Node's timers round a wait of 0.3 ms up to 1 ms.
    expect(took[Math.floor(took.length * 0.1)]).toBeGreaterThan(0.2);
    expect(medianOf(took)).toBeLessThan(0.75);
    expect(waiter.wakeLatenessMs).toBeLessThanOrEqual(0.15);
  });

  it('runs concurrent waits side by side, each ending at its own time', async () => {
    const ends: [number, number][] = [];
    const start = performance.now();
    await Promise.all(
      [4, 1, 3, 2].map(async (ms) => {
        await waiter.wait(ms);
        ends.push([ms, performance.now() - start]);
      }),
    );
    expect(ends.map(([ms]) => ms)).toEqual([1, 2, 3, 4]);
    // Side by side: the four took about the longest, not the sum (10 ms).
    expect(ends.at(-1)?.[1]).toBeLessThan(8);
    for (const [ms, at] of ends) expect(at).toBeGreaterThan(ms - 0.2);
  });

  it('leaves the event loop free while it waits', async () => {
    let turns = 0;
    let waiting = true;
    const turn = () => {
      turns++;
      if (waiting) setTimeout(turn, 1);
    };
    setTimeout(turn, 1);
    await waiter.wait(50);
    waiting = false;
    // A spin would have blocked the loop: no timer could have fired during the wait.
    expect(turns).toBeGreaterThan(10);
  });

  it('burns no CPU while it waits', async () => {
    const cpu = process.cpuUsage();
    await waiter.wait(100);
    const used = process.cpuUsage(cpu);
    // Process CPU, the worker's included: a spin in either thread would cost about 100 ms.
    expect((used.user + used.system) / 1000).toBeLessThan(20);
    expect(waiter.wakeLatenessMs).toBeGreaterThanOrEqual(0);
  });

  it('does not keep the process alive once closed', async () => {
    const other = new PreciseWaiter();
    await other.wait(0.5);
    await expect(other.close()).resolves.toBeUndefined();
  });
});
