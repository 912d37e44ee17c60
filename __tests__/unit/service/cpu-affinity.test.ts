import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/errors.js';
import {
  allowedCpus,
  checkCpuList,
  defaultDuetCpus,
  expandCpuList,
} from '../../../src/service/cpu-affinity.js';

describe('CPU lists for pinning the services of a duet', () => {
  it('expands taskset lists', () => {
    expect(expandCpuList('3')).toEqual([3]);
    expect(expandCpuList('0-2,5')).toEqual([0, 1, 2, 5]);
  });

  it('reads the CPUs this process may use from /proc status text', () => {
    const status = 'Name:\tnode\nCpus_allowed:\tf\nCpus_allowed_list:\t0-1,4\nMems_allowed:\t1\n';
    expect(allowedCpus(status)).toEqual([0, 1, 4]);
    expect(allowedCpus('Name:\tnode\n')).toBeUndefined();
  });

  it('a bad list is an error naming the field and the expected form', () => {
    expect(() => checkCpuList('one', '--service-cpus')).toThrow(ConfigError);
    expect(() => checkCpuList('1;rm -rf /', '--service-cpus')).toThrow(
      /--service-cpus: expected a CPU list for taskset like "1" or "2-3", got "1;rm -rf \/"/,
    );
  });

  it('the default is the last CPU this process may use, when it has two or more', () => {
    const mine = allowedCpus();
    const chosen = defaultDuetCpus();
    if (mine === undefined || mine.length < 2) expect(chosen).toBeUndefined();
    else expect(chosen).toBe(String(mine[mine.length - 1]));
  });
});
