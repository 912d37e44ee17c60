/**
 * A few named files out of a zip archive held in memory, each inflated with a hard cap on its
 * size (pure). The fork commenter reads a pull request's report artifact this way instead of
 * letting the artifact client extract it: an artifact is written by a run that may execute
 * untrusted code, and a small zip can expand to gigabytes (a zip bomb) on the privileged runner.
 * Only what is asked for is inflated, never more than its cap plus one byte.
 *
 * The central directory is the truth (sizes are there even when the entry used a data
 * descriptor); stored and deflated entries only, no zip64 (nothing loadgate reads is that big),
 * and a name present twice is refused rather than guessed at. Hand-written because no dependency
 * of loadgate reads zips with a size cap (the artifact client's unzip-stream extracts everything).
 */
import { inflateRawSync } from 'node:zlib';

const END_SIG = 0x06054b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
const END_MIN = 22;
/** The end record sits in the last 22 bytes plus at most a 64 KiB comment. */
const END_SEARCH = END_MIN + 0xffff;

export class ZipError extends Error {
  override readonly name = 'ZipError';
}

interface Entry {
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

function endRecord(zip: Buffer): number {
  for (let at = zip.length - END_MIN; at >= Math.max(0, zip.length - END_SEARCH); at--) {
    if (zip.readUInt32LE(at) === END_SIG) return at;
  }
  throw new ZipError('not a zip archive (no end of central directory)');
}

/** The central directory's entries whose names are wanted, by name. */
function centralEntries(zip: Buffer, wanted: ReadonlySet<string>): Map<string, Entry> {
  const end = endRecord(zip);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const found = new Map<string, Entry>();
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL_SIG) {
      throw new ZipError('corrupt zip archive (central directory)');
    }
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    if (wanted.has(name)) {
      if (found.has(name)) throw new ZipError(`${name} is in the archive twice`);
      found.set(name, {
        method: zip.readUInt16LE(at + 10),
        compressedSize: zip.readUInt32LE(at + 20),
        size: zip.readUInt32LE(at + 24),
        localOffset: zip.readUInt32LE(at + 42),
      });
    }
    at += 46 + nameLength + extraLength + commentLength;
  }
  return found;
}

function entryData(zip: Buffer, name: string, entry: Entry, max: number): Buffer {
  if (entry.size > max) throw new ZipError(`${name} is larger than ${max} bytes`);
  const local = entry.localOffset;
  if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL_SIG) {
    throw new ZipError(`corrupt zip archive (${name})`);
  }
  const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
  const end = start + entry.compressedSize;
  if (end > zip.length) throw new ZipError(`corrupt zip archive (${name} is cut short)`);
  const raw = zip.subarray(start, end);
  if (entry.method === 0) {
    if (raw.length > max) throw new ZipError(`${name} is larger than ${max} bytes`);
    return raw;
  }
  if (entry.method !== 8) throw new ZipError(`${name} uses an unsupported compression method`);
  let data: Buffer;
  try {
    data = inflateRawSync(raw, { maxOutputLength: max + 1 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new ZipError(`${name} is larger than ${max} bytes`);
    }
    throw new ZipError(`${name} cannot be inflated: ${(error as Error).message}`);
  }
  if (data.length > max) throw new ZipError(`${name} is larger than ${max} bytes`);
  return data;
}

/**
 * The text of each file `limits` names (name → the most bytes it may have), read from the
 * archive's top level; a name the archive lacks is left out. Throws ZipError for a corrupt
 * archive, a file over its limit, or a name present twice.
 */
export function readZipEntries(
  zip: Buffer,
  limits: Readonly<Record<string, number>>,
): Map<string, string> {
  const entries = centralEntries(zip, new Set(Object.keys(limits)));
  const out = new Map<string, string>();
  for (const [name, entry] of entries) {
    out.set(name, entryData(zip, name, entry, limits[name] as number).toString('utf8'));
  }
  return out;
}
