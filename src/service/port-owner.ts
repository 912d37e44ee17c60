/**
 * Whose service answers on the port: loadgate measures whatever answers at base-url and reads CPU
 * and memory from the process tree it started. Another process already answering there (a
 * forgotten dev server, a second loadgate run on the same machine, a matrix leg sharing the
 * default port) would be load-tested while the idle process loadgate started passes every
 * resource SLA. So, for a service loadgate starts on a loopback address:
 *
 * - before it starts, the port must be free (`portInUseProblem`);
 * - once it is ready, the listening socket on the port must belong to its process tree
 *   (`foreignListenerProblem`), else it is stopped with an error naming the holder.
 *
 * Both are asked of the kernel through /proc (listening-ports.ts); without /proc the first falls
 * back to a TCP connect and the second is skipped (nothing is concluded from no answer).
 */
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { readProcStat } from '../monitor/proc-tree.js';
import { redact } from '../redact/index.js';
import {
  listeningPortsOfTree,
  portHolders,
  readListeningSockets,
  type ListeningSocket,
} from './listening-ports.js';

const LOOPBACK_HOSTS = new Set(['localhost', '0.0.0.0', '::', '::1']);

/**
 * The TCP port of `url` when its host is this machine (localhost, 127.0.0.0/8, ::1, or the
 * wildcard addresses a client reaches this machine with); undefined for any other host.
 */
export function loopbackPort(url: string): number | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (!LOOPBACK_HOSTS.has(host) && !/^127\.\d+\.\d+\.\d+$/.test(host)) return undefined;
  if (u.port !== '') return Number(u.port);
  return u.protocol === 'https:' ? 443 : u.protocol === 'http:' ? 80 : undefined;
}

/** A listening socket a client of 127.0.0.1 / ::1 / localhost may reach. */
function reachableFromLoopback(s: ListeningSocket): boolean {
  if (s.family === 'tcp') return s.address === '0.0.0.0' || s.address.startsWith('127.');
  return s.address === '::' || s.address === '::1' || /^::ffff:7f/i.test(s.address);
}

/** Listening sockets on `port` a loopback client reaches; undefined without /proc. */
function loopbackListeners(port: number): ListeningSocket[] | undefined {
  return readListeningSockets()?.filter((s) => s.port === port && reachableFromLoopback(s));
}

/** "pid 1234 (node server.js)", its command line redacted and cut. */
export function describeProcess(pid: number): string {
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim();
  } catch {
    // gone, or not ours to read
  }
  cmdline = redact(cmdline);
  if (cmdline.length > 120) cmdline = `${cmdline.slice(0, 117)}...`;
  return cmdline === '' ? `pid ${pid}` : `pid ${pid} (${cmdline})`;
}

function holdersText(port: number): string {
  const holders = portHolders(port) ?? [];
  if (holders.length === 0) return 'a process loadgate cannot see (another user, or a container)';
  return holders.map(describeProcess).join(', ');
}

/** Whether anything accepts a TCP connection on host:port within `timeoutMs`. */
function answersTcp(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Why `port` cannot be given to the service loadgate is about to start (something listens on it
 * already), or undefined when it is free. `label` names the service ("service", "base service").
 */
export async function portInUseProblem(
  url: string,
  port: number,
  label: string,
): Promise<string | undefined> {
  const listeners = loopbackListeners(port);
  let holder: string | undefined;
  if (listeners !== undefined) {
    if (listeners.length === 0) return undefined;
    holder = holdersText(port);
  } else {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    if (!(await answersTcp(host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host, port))) {
      return undefined;
    }
    holder = 'another process';
  }
  return (
    `port ${port} (of ${url}) is already in use by ${holder}, before loadgate started the ${label}: ` +
    `loadgate would measure that process instead of the one it starts. Stop it, or give the ${label} ` +
    'a free port (base-url, and the port in the start command). Runs on one machine at the same time ' +
    '(another loadgate run, a matrix leg) need a port each.'
  );
}

/**
 * After the service became ready: why the socket answering on `port` is not its own, or
 * undefined when it is (or /proc cannot say). `leaderExited`: the start command already returned 0.
 */
export function foreignListenerProblem(
  groupPid: number,
  url: string,
  port: number,
  label: string,
  leaderExited: boolean,
): { kind: 'daemonized' | 'port-in-use'; message: string } | undefined {
  const listeners = loopbackListeners(port);
  if (listeners === undefined || listeners.length === 0) return undefined; // cannot tell
  const own = listeningPortsOfTree(groupPid);
  if (own === undefined || own.includes(port)) return undefined;
  const holders = portHolders(port) ?? [];
  const inGroup = holders.filter((pid) => readProcStat(pid)?.pgrp === groupPid);
  if (leaderExited || inGroup.length > 0) {
    return { kind: 'daemonized', message: daemonMessage(label, url) };
  }
  return {
    kind: 'port-in-use',
    message:
      `${url} answered, but port ${port} is held by ${holdersText(port)}, which loadgate did not start: ` +
      `the ${label} it started does not listen there. loadgate refuses to measure another process ` +
      `(its CPU and memory would be read from the idle ${label}). Give the ${label} a free port, ` +
      'or, if the service runs elsewhere on purpose (a container), start it before loadgate and leave the start command empty.',
  };
}

/** For a start command that returned while its service went on in the background. */
export function daemonMessage(label: string, url: string): string {
  return (
    `the ${label} start command returned (exit code 0) while the service went on in the background ` +
    `(daemonised) at ${url}: loadgate can neither measure the CPU and memory of a process it did ` +
    'not keep, nor be sure to stop it. Start the service in the foreground: drop the option that ' +
    'daemonises it (--daemon, -d, --detach, a trailing &), or end the command with `exec <server>`.'
  );
}
