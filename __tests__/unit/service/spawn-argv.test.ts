import { describe, expect, it } from 'vitest';
import { spawnArgv } from '../../../src/service/process-group.js';

describe('spawnArgv', () => {
  it('runs the command through /bin/sh alone by default', () => {
    expect(spawnArgv('npm start', {})).toEqual(['/bin/sh', '-c', 'npm start']);
  });

  it('puts setarch -R outermost and taskset inside it, so both reach the shell and its children', () => {
    expect(spawnArgv('npm start', { cpus: '1', fixedLayout: true })).toEqual([
      'setarch',
      '-R',
      'taskset',
      '-c',
      '1',
      '/bin/sh',
      '-c',
      'npm start',
    ]);
  });

  it('leaves setarch out unless fixedLayout is true', () => {
    expect(spawnArgv('x', { cpus: '0-1', fixedLayout: false })).toEqual([
      'taskset',
      '-c',
      '0-1',
      '/bin/sh',
      '-c',
      'x',
    ]);
  });
});
