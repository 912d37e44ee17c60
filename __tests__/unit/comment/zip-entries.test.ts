/**
 * The fork commenter reads two small files out of a pull request's report artifact without
 * extracting it. The attack: a zip bomb (a small archive that expands to gigabytes) in the
 * artifact of a fork's run, downloaded by the privileged workflow_run job.
 */
import { describe, expect, it } from 'vitest';
import { readZipEntries, ZipError } from '../../../src/comment/zip-entries.js';
import { zipFiles } from '../../fakes/zip.js';

const LIMITS = { 'pr.json': 4096, 'loadgate-verdict.json': 1024 * 1024 };

describe('readZipEntries', () => {
  it('reads the named files and leaves out what is missing', () => {
    const zip = zipFiles({ 'pr.json': '{"number":1}', 'other.txt': 'x' });
    const files = readZipEntries(zip, LIMITS);
    expect([...files]).toEqual([['pr.json', '{"number":1}']]);
  });

  it('inflates a bomb no further than its cap plus one byte', () => {
    // 64 MiB of zeros deflate to about 64 KB; its header says so, and it is refused unread.
    const zip = zipFiles({
      'pr.json': '{}',
      'loadgate-verdict.json': Buffer.alloc(64 * 1024 * 1024),
    });
    expect(zip.length).toBeLessThan(256 * 1024);
    expect(() => readZipEntries(zip, LIMITS)).toThrow(
      /loadgate-verdict\.json is larger than 1048576 bytes/,
    );
  });

  it('refuses a bomb whose header understates its size', () => {
    const zip = zipFiles({ 'pr.json': Buffer.alloc(10 * 1024 * 1024) });
    // Patch the central directory's size of pr.json down to 10 bytes: the cap still holds.
    const central = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    zip.writeUInt32LE(10, central + 24);
    expect(() => readZipEntries(zip, LIMITS)).toThrow(/pr\.json is larger than 4096 bytes/);
  });

  it('refuses a name present twice and what is not a zip', () => {
    const one = zipFiles({ 'pr.json': '{"a":1}' });
    // Two archives' entries under one central directory are not needed: a second entry of the
    // same name is enough (zipFiles keys by name, so build the twin by hand).
    expect(() => readZipEntries(Buffer.from('not a zip at all, just text'), LIMITS)).toThrow(
      ZipError,
    );
    const twice = twinEntries(one);
    expect(() => readZipEntries(twice, LIMITS)).toThrow(/pr\.json is in the archive twice/);
  });

  it('reads stored entries too', () => {
    const stored = storedZip('pr.json', '{"number":7}');
    expect(readZipEntries(stored, LIMITS).get('pr.json')).toBe('{"number":7}');
  });
});

/** The archive with its central directory listing the one entry twice. */
function twinEntries(zip: Buffer): Buffer {
  const endAt = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const cdStart = zip.readUInt32LE(endAt + 16);
  const central = zip.subarray(cdStart, endAt);
  const end = Buffer.from(zip.subarray(endAt));
  end.writeUInt16LE(2, 8);
  end.writeUInt16LE(2, 10);
  end.writeUInt32LE(central.length * 2, 12);
  return Buffer.concat([zip.subarray(0, cdStart), central, central, end]);
}

/** A one-entry zip with the entry stored (method 0). */
function storedZip(name: string, text: string): Buffer {
  const data = Buffer.from(text);
  const nameBuf = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(nameBuf.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(nameBuf.length, 28);
  central.writeUInt32LE(0, 42);
  const cdStart = 30 + nameBuf.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + nameBuf.length, 12);
  end.writeUInt32LE(cdStart, 16);
  return Buffer.concat([local, nameBuf, data, central, nameBuf, end]);
}
