import { describe, expect, it } from 'vitest';
import { stopBoth } from '../../../src/run/execute.js';

/** The `finally` of executeRun and executeAbRun: the service never waits on the monitor. */
describe('stopBoth', () => {
  it('stops the service at once even when the monitor never finishes closing', async () => {
    const order: string[] = [];
    const hung = { close: () => new Promise<void>(() => order.push('close started')) };
    const service = {
      stop: async () => {
        order.push('stop');
      },
    };
    const t0 = Date.now();
    await stopBoth(hung, service, 100);
    expect(order).toEqual(['close started', 'stop']);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('stops the service when the monitor close rejects, and does not throw for it', async () => {
    let stopped = false;
    await expect(
      stopBoth(
        { close: () => Promise.reject(new Error('boom')) },
        {
          stop: async () => {
            stopped = true;
          },
        },
      ),
    ).resolves.toBeUndefined();
    expect(stopped).toBe(true);
  });

  it('still waits for a close that finishes, and for a service without a monitor', async () => {
    let closed = false;
    const monitor = {
      close: () =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            closed = true;
            resolve();
          }, 30),
        ),
    };
    await stopBoth(monitor, { stop: async () => undefined });
    expect(closed).toBe(true);
    await expect(stopBoth(undefined, { stop: async () => undefined })).resolves.toBeUndefined();
  });
});
