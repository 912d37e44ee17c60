import { describe, expect, it } from 'vitest';
import { parseProcStat } from '../../../src/monitor/proc-stat.js';

// Real lines (Linux 6.x), fields 1..52.
const NODE =
  '12197 (node) R 12194 12194 6369 0 -1 4194304 9516 0 0 0 61 17 3 2 20 0 7 0 25040 1052930048 14330 18446744073709551615 1 1 0 0 0 0 0 16781312 134235650 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0';
const INIT =
  '1 (process_api) S 0 0 0 0 -1 4194560 49232 1682695 0 643 99 472 2598 1463 10 -10 14 0 25 48402432 3745 18446744073709551615 1 1 0 0 0 0 0 4096 1256 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0';

describe('parseProcStat', () => {
  it('reads the fields the monitor needs', () => {
    expect(parseProcStat(NODE)).toEqual({
      pid: 12197,
      comm: 'node',
      state: 'R',
      ppid: 12194,
      pgrp: 12194,
      session: 6369,
      utime: 61,
      stime: 17,
      cutime: 3,
      cstime: 2,
      startTime: 25040,
      rssPages: 14330,
    });
    const init = parseProcStat(INIT);
    expect(init).toMatchObject({
      pid: 1,
      ppid: 0,
      utime: 99,
      stime: 472,
      cutime: 2598,
      cstime: 1463,
      startTime: 25,
      rssPages: 3745,
    });
  });

  it('handles a comm with spaces and parentheses', () => {
    const line = NODE.replace('(node)', '(my (odd) ) name)');
    expect(parseProcStat(line)).toMatchObject({
      pid: 12197,
      comm: 'my (odd) ) name',
      state: 'R',
      ppid: 12194,
      utime: 61,
      rssPages: 14330,
    });
  });

  it('handles an empty comm and a zombie', () => {
    const line = NODE.replace('(node) R', '() Z');
    expect(parseProcStat(line)).toMatchObject({ comm: '', state: 'Z', ppid: 12194 });
  });

  it('tolerates a trailing newline', () => {
    expect(parseProcStat(`${NODE}\n`)?.rssPages).toBe(14330);
  });

  it('rejects what is not a stat line', () => {
    expect(parseProcStat('')).toBeUndefined();
    expect(parseProcStat('garbage')).toBeUndefined();
    expect(parseProcStat('12 (x) S 1 2 3')).toBeUndefined();
    expect(parseProcStat(NODE.replace('12197 ', 'abc '))).toBeUndefined();
    expect(parseProcStat(NODE.replace(' 61 17 ', ' x 17 '))).toBeUndefined();
  });
});
