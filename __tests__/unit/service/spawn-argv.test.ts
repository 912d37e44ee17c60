import { describe, expect, it } from 'vitest';
import { LAUNCHER_NAME, LAUNCHER_SCRIPT, spawnArgv } from '../../../src/service/process-group.js';

const LAUNCHED = ['/bin/sh', '-c', LAUNCHER_SCRIPT, LAUNCHER_NAME];

describe('spawnArgv', () => {
  it('runs the command through the launcher shell alone by default', () => {
    expect(spawnArgv('npm start', {})).toEqual([...LAUNCHED, 'npm start']);
  });

  it('puts setarch -R outermost and taskset inside it, so both reach the shell and its children', () => {
    expect(spawnArgv('npm start', { cpus: '1', fixedLayout: true })).toEqual([
      'setarch',
      '-R',
      'taskset',
      '-c',
      '1',
      ...LAUNCHED,
      'npm start',
    ]);
  });

  it('leaves setarch out unless fixedLayout is true', () => {
    expect(spawnArgv('x', { cpus: '0-1', fixedLayout: false })).toEqual([
      'taskset',
      '-c',
      '0-1',
      ...LAUNCHED,
      'x',
    ]);
  });

  it('runs the command in a second shell, never in place of the launcher', () => {
    // The command reaches the inner shell as $1: quoting in it is the inner shell's business.
    expect(LAUNCHER_SCRIPT.startsWith('/bin/sh -c "$1"; ')).toBe(true);
  });
});
