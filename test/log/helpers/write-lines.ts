// Test helper process: writes N numbered lines through a RotatingFile that rotates every `maxBytes`, yielding now and then.
// Usage: node write-lines.js <file> <count> <maxBytes> [keep]
import { RotatingFile } from '../../../runtime/log/rotating-file';

async function main(): Promise<void> {
  const [file, countText, maxBytesText, keepText] = process.argv.slice(2);
  const out = new RotatingFile(file, { maxBytes: Number(maxBytesText), maxAgeSeconds: 0, keep: Number(keepText ?? 100) });
  const count = Number(countText);
  for (let i = 0; i < count; i++) {
    out.write(`{"n":${i},"pad":"${'x'.repeat(i % 37)}"}\n`);
    // Let the follower in the other process run between bursts.
    if (i % 97 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  out.close();
}

void main();
