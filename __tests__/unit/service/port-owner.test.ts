import { describe, expect, it } from 'vitest';
import { daemonMessage, loopbackPort } from '../../../src/service/port-owner.js';

describe('loopbackPort: the port checked for a service loadgate starts', () => {
  it('is base-url’s port when its host is this machine', () => {
    expect(loopbackPort('http://127.0.0.1:8000')).toBe(8000);
    expect(loopbackPort('http://localhost:3000/api')).toBe(3000);
    expect(loopbackPort('http://[::1]:8080')).toBe(8080);
    expect(loopbackPort('http://127.0.0.2:9000')).toBe(9000);
    expect(loopbackPort('http://0.0.0.0:8000')).toBe(8000);
    expect(loopbackPort('http://LOCALHOST')).toBe(80);
    expect(loopbackPort('https://127.0.0.1')).toBe(443);
  });

  it('is undefined for another host (a container, a remote service) or a bad URL', () => {
    expect(loopbackPort('http://db:8000')).toBeUndefined();
    expect(loopbackPort('http://10.0.0.5:8000')).toBeUndefined();
    expect(loopbackPort('http://example.com')).toBeUndefined();
    expect(loopbackPort('not a url')).toBeUndefined();
  });
});

describe('daemonMessage', () => {
  it('says what happened and how to run the service in the foreground', () => {
    const text = daemonMessage('service', 'http://127.0.0.1:8000');
    expect(text).toMatch(/returned \(exit code 0\) while the service went on in the background/);
    expect(text).toMatch(/--daemon, -d, --detach, a trailing &/);
    expect(text).toContain('exec <server>');
  });
});
