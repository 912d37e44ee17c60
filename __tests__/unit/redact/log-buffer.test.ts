import { describe, expect, it } from 'vitest';
import { LogBuffer, MAX_LINE } from '../../../src/service/log-buffer.js';
import { SecretSet } from '../../../src/redact/secrets.js';

const secrets = new SecretSet();
secrets.add('svc-secret-9f8e7d');
const redact = (s: string) => secrets.redact(s);

describe("the service's log lines come out redacted", () => {
  it('in complete and unfinished lines, split across chunks', () => {
    const log = new LogBuffer(10, redact);
    log.push('stdout', 'DB_PASSWORD=svc-sec');
    log.push('stdout', 'ret-9f8e7d\nAPI=svc-secret-9f8e7d');
    expect(log.lines()).toEqual(['DB_PASSWORD=***', 'API=***']);
  });

  it('in a line too long to keep whole, even where it is cut', () => {
    const log = new LogBuffer(10, redact);
    // The secret straddles the MAX_LINE cut, arriving in two chunks.
    log.push('stdout', `${'x'.repeat(MAX_LINE - 5)}svc-secr`);
    log.push('stdout', `et-9f8e7d${'y'.repeat(MAX_LINE * 2)}\n`);
    const text = log.lines().join('');
    expect(text).not.toMatch(/svc|9f8e7d|secr/);
    expect(text).toContain('***');
  });
});
