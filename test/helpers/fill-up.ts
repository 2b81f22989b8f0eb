// Fills a file system to the last byte with one file (disk-full tests): ENOSPC for everyone else until it is deleted.
import * as fs from 'node:fs';

/** Writes `file` until the file system says ENOSPC (1 MiB, then 4 KiB writes, so the last pages go too). Returns the bytes written. */
export function fillUp(file: string): number {
  const fd = fs.openSync(file, 'w');
  let written = 0;
  try {
    for (const size of [1024 * 1024, 4096, 512]) {
      const chunk = Buffer.alloc(size, 0x5a);
      for (;;) {
        try {
          written += fs.writeSync(fd, chunk);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw err;
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return written;
}
