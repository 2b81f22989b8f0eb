// No input crashes the checker: random bytes and random INI-looking lines, for every file kind.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkDocument } from '../../runtime/config/validate';
import type { FileKind } from '../../runtime/config/schema';

/** Small deterministic PRNG (mulberry32) so a failure can be replayed from its seed. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = ['[', ']', '=', ':', '#', ';', ' ', '\t', '\r', '\n', '{{', '}}', '{{ X }}', '*', '@', 'step_', 'switch_rules', ':regex:',
  'general', 'custom', 'common', '_version', 'numprocesses', 'failure_policy', 'move', 'directory', '/abs', 'rel', '(', '\\', '\uFEFF', 'é', 'builtin:copy', 'dest_dirs', ','];
const KINDS: FileKind[] = ['module', 'plugin', 'override', 'observer'];

test('500 random documents per file kind never throw, and every problem has a position and a message', () => {
  for (const kind of KINDS) {
    for (let seed = 1; seed <= 500; seed++) {
      const rnd = prng(seed);
      let text = '';
      const length = Math.floor(rnd() * 60);
      for (let i = 0; i < length; i++) text += FRAGMENTS[Math.floor(rnd() * FRAGMENTS.length)];
      const bytes = seed % 5 === 0 ? Buffer.from(Array.from({ length: 40 }, () => Math.floor(rnd() * 256))) : Buffer.from(text);
      let result;
      try {
        result = checkDocument(kind, bytes, 'f.ini', { env: {}, home: '/h', plugin: { name: 'p', dir: '/nonexistent/p' }, knownSteps: ['p/main'] });
      } catch (err) {
        assert.fail(`kind ${kind}, seed ${seed} threw ${(err as Error).stack}\ninput: ${JSON.stringify(bytes.toString('latin1'))}`);
      }
      for (const p of result.problems) {
        assert.ok(p.line >= 1 && p.column >= 1 && p.endColumn > p.column, `bad range in ${JSON.stringify(p)} (kind ${kind}, seed ${seed})`);
        assert.ok(p.message.length > 0);
      }
    }
  }
});
