/**
 * Reading a document loadgate did not just write itself (a baseline file, a history, a shard
 * result, a downloaded artifact) with a size limit: a file of gigabytes, committed or uploaded by
 * mistake or on purpose, is refused with a clear error instead of filling the memory. The
 * limits are the readers' (result/schema.ts, result/history-schema.ts). In result/ because the
 * stored documents are what it reads; every room that reads one may import it.
 */
import { open } from 'node:fs/promises';

/** A file over the size its reader accepts. */
export class FileTooLargeError extends Error {
  override readonly name = 'FileTooLargeError';
  constructor(
    readonly path: string,
    readonly maxBytes: number,
  ) {
    super(`is larger than ${formatBytes(maxBytes)}, the most loadgate reads of such a file`);
  }
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

/**
 * The file's text (UTF-8), or FileTooLargeError when it has more than `maxBytes` bytes (also a
 * file that grows while it is read). Other errors (ENOENT…) are thrown as fs throws them.
 */
export async function readTextBounded(path: string, maxBytes: number): Promise<string> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    if (size > maxBytes) throw new FileTooLargeError(path, maxBytes);
    // Read to the end, never past the limit (the file may grow while it is read).
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(Math.max(size, 64 * 1024), maxBytes + 1 - total));
      const { bytesRead } = await file.read(chunk, 0, chunk.length, total);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) throw new FileTooLargeError(path, maxBytes);
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    await file.close();
  }
}
