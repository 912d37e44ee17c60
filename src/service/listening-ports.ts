/**
 * Which TCP ports processes listen on, asked of the Linux kernel through /proc rather than by
 * probing ports: with two services on one runner (base and head, each given its own PORT), a
 * service that ignores PORT must be caught before any load is spent, and only the kernel can say
 * which process holds which listening socket.
 *
 * /proc/net/tcp and /proc/net/tcp6 list the sockets of the reader's network namespace, one a line:
 *
 *     sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
 *      2: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000   101        0 3866 ...
 *
 * `local_address` is hex address:port, `st` 0A is LISTEN, `inode` identifies the socket; each of a
 * process's descriptors that is a socket is a link `/proc/<pid>/fd/<n>` → `socket:[<inode>]`.
 * Readers return undefined when /proc cannot answer (not Linux, or not allowed), so callers skip
 * the check instead of concluding "listens on nothing".
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { endianness } from 'node:os';
import { descendantsOf } from '../monitor/proc-tree.js';

export interface ListeningSocket {
  family: 'tcp' | 'tcp6';
  /** Printable local address: `127.0.0.1`, `0.0.0.0`, `::1`, `::`. */
  address: string;
  port: number;
  /** The socket's inode, as in `/proc/<pid>/fd/<n>` → `socket:[<inode>]`. */
  inode: number;
}

const LISTEN = '0A';

/**
 * The kernel prints each 32-bit word of the address as a host-order number, so on a
 * little-endian machine every word's bytes come reversed.
 */
function wordBytes(hex8: string, littleEndian: boolean): number[] {
  const bytes = [0, 2, 4, 6].map((i) => parseInt(hex8.slice(i, i + 2), 16));
  return littleEndian ? bytes.reverse() : bytes;
}

/** Longest run of zero groups becomes `::` (RFC 5952). */
function formatIpv6(groups: number[]): string {
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < groups.length;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > bestLength && j - i > 1) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  const left = hex.slice(0, bestStart).join(':');
  const right = hex.slice(bestStart + bestLength).join(':');
  return `${left}::${right}`;
}

function decodeAddress(hex: string, littleEndian: boolean): string | undefined {
  if (!/^[0-9A-Fa-f]+$/.test(hex)) return undefined;
  if (hex.length === 8) return wordBytes(hex, littleEndian).join('.');
  if (hex.length !== 32) return undefined;
  const bytes = [0, 8, 16, 24].flatMap((i) => wordBytes(hex.slice(i, i + 8), littleEndian));
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  return formatIpv6(groups);
}

/**
 * The LISTEN sockets in the text of /proc/net/tcp or /proc/net/tcp6 (pure). Other states
 * (ESTABLISHED, TIME_WAIT, ...) and malformed lines are skipped. `littleEndian` is the byte order
 * of the machine the text came from (only the printed address depends on it).
 */
export function parseProcNetTcp(
  text: string,
  family: 'tcp' | 'tcp6',
  littleEndian = true,
): ListeningSocket[] {
  const sockets: ListeningSocket[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields[3] !== LISTEN || fields.length < 10) continue;
    const [addressHex = '', portHex = ''] = (fields[1] ?? '').split(':');
    const address = decodeAddress(addressHex, littleEndian);
    const port = parseInt(portHex, 16);
    const inode = Number(fields[9]);
    if (address === undefined || !/^[0-9A-Fa-f]{4}$/.test(portHex)) continue;
    if (!Number.isInteger(inode) || inode <= 0) continue;
    sockets.push({ family, address, port, inode });
  }
  return sockets;
}

/** Every LISTEN socket in this network namespace; undefined when /proc/net/tcp is unreadable. */
export function readListeningSockets(): ListeningSocket[] | undefined {
  const littleEndian = endianness() === 'LE';
  let tcp: string;
  try {
    tcp = readFileSync('/proc/net/tcp', 'latin1');
  } catch {
    return undefined;
  }
  let tcp6 = '';
  try {
    tcp6 = readFileSync('/proc/net/tcp6', 'latin1');
  } catch {
    // IPv6 disabled: there are no tcp6 sockets to find
  }
  return [
    ...parseProcNetTcp(tcp, 'tcp', littleEndian),
    ...parseProcNetTcp(tcp6, 'tcp6', littleEndian),
  ];
}

const SOCKET_LINK = /^socket:\[(\d+)\]$/;

/**
 * Inodes of the sockets `pid` holds open: a Set, or 'gone' (no such process), or 'unreadable'
 * (another user's process, or no /proc).
 */
function socketInodes(pid: number): Set<number> | 'gone' | 'unreadable' {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : 'unreadable';
  }
  const inodes = new Set<number>();
  for (const fd of fds) {
    try {
      const match = SOCKET_LINK.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match?.[1] !== undefined) inodes.add(Number(match[1]));
    } catch {
      // closed since the listing
    }
  }
  return inodes;
}

/**
 * The TCP ports (sorted, distinct) on which any of `pids` holds a listening socket. Processes
 * that are gone count as holding nothing. Undefined when /proc cannot say: no /proc/net/tcp, or
 * one of the processes' descriptors is not readable (the answer would be partial).
 */
export function listeningPorts(pids: readonly number[]): number[] | undefined {
  const sockets = readListeningSockets();
  if (sockets === undefined) return undefined;
  const portOf = new Map(sockets.map((s) => [s.inode, s.port]));
  const ports = new Set<number>();
  for (const pid of pids) {
    const inodes = socketInodes(pid);
    if (inodes === 'unreadable') return undefined;
    if (inodes === 'gone') continue;
    for (const inode of inodes) {
      const port = portOf.get(inode);
      if (port !== undefined) ports.add(port);
    }
  }
  return [...ports].sort((a, b) => a - b);
}

/** listeningPorts of `root` and all its descendants (a service started through sh, npm, ...). */
export function listeningPortsOfTree(root: number): number[] | undefined {
  let pids: number[];
  try {
    pids = [root, ...descendantsOf(root).map((p) => p.pid)];
  } catch {
    return undefined; // no /proc to list processes
  }
  return listeningPorts(pids);
}

/**
 * The pids (sorted) holding a listening socket on `port`, among the processes whose descriptors
 * this process may read (all of them as root; its own user's otherwise). Undefined without /proc.
 */
export function portHolders(port: number): number[] | undefined {
  const sockets = readListeningSockets();
  if (sockets === undefined) return undefined;
  const wanted = new Set(sockets.filter((s) => s.port === port).map((s) => s.inode));
  if (wanted.size === 0) return [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const holders: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const inodes = socketInodes(Number(entry));
    if (typeof inodes === 'string') continue;
    for (const inode of inodes) {
      if (wanted.has(inode)) {
        holders.push(Number(entry));
        break;
      }
    }
  }
  return holders.sort((a, b) => a - b);
}
