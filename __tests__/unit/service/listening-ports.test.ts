import { describe, expect, it } from 'vitest';
import { parseProcNetTcp } from '../../../src/service/listening-ports.js';

// Captured from this repository's runner (x86-64, little-endian): Postgres on 127.0.0.1:5432,
// Redis on 127.0.0.1:6379 and [::1]:6379, something on 0.0.0.0:2024, then an ESTABLISHED and a
// TIME_WAIT line (inode 0). The trailing blanks are the kernel's.
const TCP = [
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     ',
  '   2: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000   101        0 3866 1 00000000b2337535 100 0 0 10 0                      ',
  '   9: 0100007F:18EB 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3883 1 0000000069caf075 100 0 0 10 0                      ',
  '  19: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1559 1 00000000d9c41467 100 0 0 10 0                      ',
  '  24: 0100007F:A51E 0100007F:1111 01 00000000:00000000 00:00000000 00000000   106        0 5659 1 00000000a7518af1 20 4 30 11 -1                     ',
  '  26: 0100007F:C3F8 0100007F:1111 06 00000000:00000000 03:00000BDF 00000000     0        0 0 3 00000000c8c823d0                                      ',
  '',
].join('\n');

// Captured while a node server listened on [::]:44071 (0xAC27), next to epmd ([::1]:4369) and Redis.
const TCP6 = [
  '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
  '   0: 00000000000000000000000000000000:AC27 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 217854 1 0000000002caa67f 100 0 0 10 0',
  '   1: 00000000000000000000000001000000:1111 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000   106        0 5429 1 00000000d152b1a4 100 0 0 10 0',
  '   2: 00000000000000000000000001000000:18EB 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3884 1 00000000fa68b219 100 0 0 10 0',
  '',
].join('\n');

describe('parseProcNetTcp', () => {
  it('keeps only LISTEN sockets, with port and inode from the line', () => {
    expect(parseProcNetTcp(TCP, 'tcp')).toEqual([
      { family: 'tcp', address: '127.0.0.1', port: 5432, inode: 3866 },
      { family: 'tcp', address: '127.0.0.1', port: 6379, inode: 3883 },
      { family: 'tcp', address: '0.0.0.0', port: 2024, inode: 1559 },
    ]);
  });

  it('decodes IPv6 addresses word by word (::, ::1)', () => {
    expect(parseProcNetTcp(TCP6, 'tcp6')).toEqual([
      { family: 'tcp6', address: '::', port: 44071, inode: 217854 },
      { family: 'tcp6', address: '::1', port: 4369, inode: 5429 },
      { family: 'tcp6', address: '::1', port: 6379, inode: 3884 },
    ]);
  });

  it('reads the address in the byte order of the machine the text came from', () => {
    const [bigEndian] = parseProcNetTcp(TCP, 'tcp', false);
    expect(bigEndian?.address).toBe('1.0.0.127');
    expect(bigEndian?.port).toBe(5432);
  });

  it('formats a full IPv6 address without a zero run, and compresses the longest run', () => {
    // Groups as little-endian 32-bit words, the way the kernel prints them on x86.
    const line = (hex: string) =>
      `   0: ${hex}:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 42 1 0 100 0 0 10 0`;
    const addr = (hex: string) => parseProcNetTcp(line(hex), 'tcp6')[0]?.address;
    expect(addr('B80D0120000000000000000001000000')).toBe('2001:db8::1');
    expect(addr('000080FE010000000000000003000000')).toBe('fe80:0:0:1::3'); // the longer run
    expect(addr('000080FE010000000000020003000000')).toBe('fe80::1:2:0:0:3'); // a tie: the first
    expect(addr('02000100040003000600050008000700')).toBe('1:2:3:4:5:6:7:8');
    expect(addr('0100FE800300020005000400070006000')).toBeUndefined(); // 33 digits
  });

  it('skips header, blank, truncated and malformed lines instead of throwing', () => {
    const text = [
      TCP.split('\n')[0],
      '   3: 0100007F:1538 00000000:0000 0A',
      '   4: 0100007F:ZZZZ 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 77 1 0',
      '   5: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 0 1 0',
      '   6: 0100007:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 78 1 0',
      '   7: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 79 1 0',
      '',
    ].join('\n');
    expect(parseProcNetTcp(text, 'tcp')).toEqual([
      { family: 'tcp', address: '127.0.0.1', port: 5432, inode: 79 },
    ]);
    expect(parseProcNetTcp('', 'tcp')).toEqual([]);
  });
});
