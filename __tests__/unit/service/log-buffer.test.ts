import { describe, expect, it } from 'vitest';
import { LogBuffer, MAX_LINE } from '../../../src/service/log-buffer.js';
import { describeExit, formatLogTail, ServiceError } from '../../../src/service/errors.js';

describe('LogBuffer', () => {
  it('splits chunks into lines across chunk boundaries, per stream', () => {
    const log = new LogBuffer(10);
    log.push('stdout', 'hel');
    log.push('stderr', 'warn: a');
    log.push('stdout', 'lo\nwor');
    log.push('stderr', 'b\n');
    log.push('stdout', 'ld\r\n');
    expect(log.lines()).toEqual(['hello', 'warn: ab', 'world']);
  });

  it('keeps only the last N lines', () => {
    const log = new LogBuffer(3);
    for (let i = 1; i <= 10; i++) log.push('stdout', `line ${i}\n`);
    expect(log.lines()).toEqual(['line 8', 'line 9', 'line 10']);
    log.push('stdout', 'line 11\n');
    expect(log.lines()).toEqual(['line 9', 'line 10', 'line 11']);
  });

  it('shows an unfinished last line (a crash often ends mid-line)', () => {
    const log = new LogBuffer(3);
    log.push('stdout', 'one\ntwo\nthree\nTraceback (most rec');
    expect(log.lines()).toEqual(['two', 'three', 'Traceback (most rec']);
  });

  it('cuts a line with no newline at MAX_LINE characters', () => {
    const log = new LogBuffer(5);
    log.push('stdout', 'x'.repeat(MAX_LINE * 2 + 10));
    const lines = log.lines();
    expect(lines.map((l) => l.length)).toEqual([MAX_LINE, MAX_LINE, 10]);
  });

  it('keeps nothing with capacity 0', () => {
    const log = new LogBuffer(0);
    log.push('stdout', 'a\nb');
    expect(log.lines()).toEqual([]);
  });

  it('keeps empty lines', () => {
    const log = new LogBuffer(5);
    log.push('stdout', 'a\n\nb\n');
    expect(log.lines()).toEqual(['a', '', 'b']);
  });
});

describe('service error text', () => {
  it('describes exits', () => {
    expect(describeExit(1, null)).toBe('exited with code 1');
    expect(describeExit(null, 'SIGKILL')).toBe('was killed by signal SIGKILL');
    expect(describeExit(null, null)).toBe('exited with code unknown');
  });

  it('formats the log tail', () => {
    expect(formatLogTail([])).toBe('Last output: (none)');
    expect(formatLogTail(['a', 'b'])).toBe('Last output:\n  a\n  b');
  });

  it('carries kind and tail', () => {
    const error = new ServiceError('crashed', 'boom', ['x']);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ServiceError');
    expect(error.kind).toBe('crashed');
    expect(error.logTail).toEqual(['x']);
  });
});
