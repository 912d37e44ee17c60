/** listening-ports.ts against live processes: which ports a pid (or its tree) listens on. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import {
  listeningPorts,
  listeningPortsOfTree,
  portHolders,
  readListeningSockets,
} from '../../../src/service/listening-ports.js';
import { freePort, killQuietly } from '../../helpers/processes.js';

/** An HTTP server on a port the kernel picks; it prints the port once listening. */
const SERVER = (host: string) =>
  `require('node:http').createServer((q, s) => s.end('ok')).listen(0, '${host}', function () { console.log('port ' + this.address().port) })`;

const started: ChildProcess[] = [];

afterEach(async () => {
  for (const child of started.splice(0)) {
    if (child.pid !== undefined) killQuietly(child.pid, true);
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
  }
});

/** Spawns in a new process group (so cleanup reaches a child server too); waits for "port N". */
async function start(command: string, args: string[]): Promise<{ pid: number; port: number }> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  started.push(child);
  let output = '';
  child.stdout?.setEncoding('utf8');
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.on('data', (chunk: string) => {
      output += chunk;
      const match = /port (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`exited (${code}) before listening: ${output}`)));
  });
  return { pid: child.pid as number, port };
}

describe('listeningPorts', () => {
  it('finds the port a server on port 0 got, from its pid', async () => {
    const server = await start(process.execPath, ['-e', SERVER('127.0.0.1')]);
    expect(listeningPorts([server.pid])).toEqual([server.port]);
    expect(portHolders(server.port)).toEqual([server.pid]);
    expect(listeningPorts([process.pid])).not.toContain(server.port);
    expect(readListeningSockets()).toContainEqual(
      expect.objectContaining({ family: 'tcp', address: '127.0.0.1', port: server.port }),
    );
  });

  it('finds an IPv6 (dual-stack) listener in /proc/net/tcp6', async () => {
    const server = await start(process.execPath, ['-e', SERVER('::')]);
    expect(readListeningSockets()).toContainEqual(
      expect.objectContaining({ family: 'tcp6', address: '::', port: server.port }),
    );
    expect(listeningPorts([server.pid])).toEqual([server.port]);
  });

  it('finds a child’s port through the parent’s process tree, not the parent’s own', async () => {
    // sh stays the parent (the trailing command stops it from exec-ing node).
    const command = `"${process.execPath}" -e "${SERVER('127.0.0.1')}"; exit 0`;
    const tree = await start('/bin/sh', ['-c', command]);
    expect(listeningPorts([tree.pid])).toEqual([]);
    expect(listeningPortsOfTree(tree.pid)).toEqual([tree.port]);
    const holders = portHolders(tree.port);
    expect(holders).toHaveLength(1);
    expect(holders).not.toContain(tree.pid);
  });

  it('counts a process that is gone as holding nothing', async () => {
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await once(child, 'exit');
    expect(listeningPorts([child.pid as number])).toEqual([]);
  });

  it('finds no holder of a port nobody listens on', async () => {
    expect(portHolders(await freePort())).toEqual([]);
  });
});
