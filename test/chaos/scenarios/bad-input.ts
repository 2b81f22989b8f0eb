// Bad input: awkward file names, queue messages that are garbage or point outside the step, and inbox entries that
// are not regular files. Files must all end in a final place; nothing outside the runtime's directories is touched.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { encodeMessage, messageFor } from '../../../runtime/queue/message';
import { waitFor } from '../../datapath/harness';
import { PLUGIN, STEP } from '../plugin';
import { ScenarioContext, sleep, type Scenario } from '../scenario';

/** Names that break line-based tools, shells and option parsers, and names at the 255-byte limit. */
const AWKWARD = [
  'with spaces in it.txt', 'ünïcødé-日本語-😀.txt', '-leading-dash', '--looks-like-an-option', 'new\nline', 'tab\there',
  "quote'and\"double", '*glob?[x]', '$(touch pwned)', 'a'.repeat(255), 'é'.repeat(127) + 'x',
];

/** Files the chaos step throws on (prefix `throw-`), with names so long that `name.tags` or `name.1` would exceed NAME_MAX. */
const LONG_FAILING = ['throw-' + 'b'.repeat(249), 'throw-' + 'ü'.repeat(124), 'throw-' + 'c'.repeat(248) + 'd'];

/** Raw names that are not valid UTF-8, and the name each is delivered under. */
const UNDECODABLE: Array<[Buffer, string]> = [
  [Buffer.concat([Buffer.from('latin1-caf'), Buffer.from([0xe9])]), 'latin1-caf%E9'],
  [Buffer.from([0xff, 0xfe, 0x41]), '%FF%FEA'],
  [Buffer.concat([Buffer.from('cut-'), Buffer.from([0xe6, 0x97])]), 'cut-%E6%97'],
];

export const badNames: Scenario = {
  name: 'bad-names',
  group: 'bad-input',
  description: 'Files named with spaces, unicode, leading dashes, a newline, a tab, quotes, shell and glob characters, and 255 bytes, '
    + 'among ordinary files; three 254–255-byte names fail and go to the trash under a name cut to leave room for .tags; three names '
    + 'that are not UTF-8 are renamed by the observer (%XX) and delivered.',
  async run(ctx) {
    const bulk = ctx.pick(2000, 200);
    ctx.inject(ScenarioContext.names('n', bulk / 2));
    ctx.inject(AWKWARD);
    ctx.inject(LONG_FAILING, { expect: ['trash'] });
    // Names that are not UTF-8: renamed by the observer (undecodable bytes as %XX), found under that name.
    UNDECODABLE.forEach(([raw, safe], i) => {
      const tmp = path.join(ctx.rt.inbox, `.undecodable-${i}.t`);
      fs.writeFileSync(tmp, `not utf-8 name ${i}\n`);
      ctx.register(safe, tmp, ['output']);
      fs.renameSync(tmp, Buffer.concat([Buffer.from(ctx.rt.inbox + path.sep), raw]));
    });
    ctx.inject(ScenarioContext.names('n', bulk / 2, bulk / 2));
    ctx.faultOver();
  },
};

/**
 * Victims outside the runtime's directories that messages try to reach: written before, compared after. A
 * scenario that touched one throws (the report shows it as a failed scenario).
 */
function plantVictims(ctx: ScenarioContext): { dir: string; check(): void } {
  const dir = path.join(path.dirname(ctx.rt.home.root), 'victims');
  fs.mkdirSync(dir, { recursive: true });
  const files = new Map<string, string>([['secret', 'do not touch'], ['passwd', 'root:x:0:0']]);
  for (const [name, text] of files) fs.writeFileSync(path.join(dir, name), text);
  return {
    dir,
    check() {
      for (const [name, text] of files) {
        const now = fs.existsSync(path.join(dir, name)) ? fs.readFileSync(path.join(dir, name), 'utf8') : '<gone>';
        if (now !== text) throw new Error(`a file outside the runtime was touched: ${path.join(dir, name)} now holds ${JSON.stringify(now)}`);
      }
    },
  };
}

export const badMessages: Scenario = {
  name: 'bad-messages',
  group: 'bad-input',
  description: 'Messages pushed onto the step queue among real files: not JSON, not an object, no filename, a filename with a slash, '
    + 'missing files, `..` out of the inbox, another directory, a symlinked directory dropped into the inbox (itself set aside '
    + 'in the trash). Refused ones are counted in rejected.<plugin>.<step>; the victims outside are never touched.',
  async run(ctx) {
    const victims = plantVictims(ctx);
    const inbox = ctx.rt.inbox;
    const escape = path.join(inbox, 'escape-link');
    // Moved in (a link made in place waits for the next rescan, forced_poll, before it is set aside).
    fs.symlinkSync(victims.dir, `${escape}.t`);
    ctx.register('escape-link', `${escape}.t`, ['trash']);
    fs.renameSync(`${escape}.t`, escape);
    const queue = `step.${PLUGIN}.${STEP}`;
    const upOut = path.relative(inbox, victims.dir); // ../../../../victims
    const refusedPerRound = [
      encodeMessage(messageFor(path.join(inbox, upOut), 'secret', 'created')),
      encodeMessage(messageFor(victims.dir, 'passwd', 'created')),
      encodeMessage(messageFor(escape, 'secret', 'created')),
      encodeMessage(messageFor(path.join(ctx.rt.home.inDir, 'trash', `${PLUGIN}.${STEP}`), 'secret', 'created')),
    ];
    const invalidPerRound = ['not json at all {', '[1, 2, 3]', JSON.stringify({ directory: inbox }), JSON.stringify({ directory: inbox, filename: `${upOut}/secret` }), '"x"'.repeat(3000)];
    const rounds = ctx.pick(50, 10);
    const redis = ctx.rt.redis();
    for (let round = 0; round < rounds; round++) {
      ctx.inject(ScenarioContext.names(`m${round}-`, ctx.pick(40, 10)));
      await redis.lpush(queue, ...refusedPerRound, ...invalidPerRound, encodeMessage(messageFor(inbox, `never-existed-${round}`, 'created')));
      await sleep(50);
    }
    const expected = rounds * (refusedPerRound.length + invalidPerRound.length);
    await waitFor(`${expected} messages rejected`, async () => Number(await redis.get(`rejected.${PLUGIN}.${STEP}`)) >= expected, 120_000, 100);
    victims.check();
    ctx.faultOver();
    ctx.note(`${expected} messages rejected (rejected.${PLUGIN}.${STEP} = ${await redis.get(`rejected.${PLUGIN}.${STEP}`)}), ${rounds} naming missing files; victims outside untouched`);
  },
};

export const badEntries: Scenario = {
  name: 'bad-entries',
  group: 'bad-input',
  description: 'Entries that are not regular files dropped into the inbox among real files: a symbolic link to a file outside, one to a '
    + 'directory outside, a dangling one, a FIFO (set aside in the trash, unread, targets untouched); a directory with files (left in '
    + 'place, warned about); a file without read permission (root reads it anyway: output; as another user: trash).',
  async run(ctx) {
    const victims = plantVictims(ctx);
    const inbox = ctx.rt.inbox;
    ctx.inject(ScenarioContext.names('e', ctx.pick(1000, 100)));
    const make = (name: string, create: (p: string) => void, expect: Parameters<ScenarioContext['register']>[2]): void => {
      // Made under a `.t` name (the observer ignores it) and fingerprinted there, then renamed in, as a producer would.
      const tmp = path.join(inbox, `.make-${name}.t`);
      create(tmp);
      ctx.register(name, tmp, expect);
      fs.renameSync(tmp, path.join(inbox, name));
    };
    make('link-to-file', (p) => fs.symlinkSync(path.join(victims.dir, 'secret'), p), ['trash']);
    make('link-to-dir', (p) => fs.symlinkSync(victims.dir, p), ['trash']);
    make('link-dangling', (p) => fs.symlinkSync(path.join(victims.dir, 'nothing-here'), p), ['trash']);
    make('fifo', (p) => {
      const r = spawnSync('mkfifo', ['--', p]);
      if (r.status !== 0) throw new Error(`mkfifo failed: ${String(r.stderr)}`);
    }, ['trash']);
    const folder = path.join(inbox, 'a-folder');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'inside.txt'), 'a file in a dropped folder');
    ctx.register('a-folder', folder, ['in place']);
    make('no-read', (p) => {
      fs.writeFileSync(p, 'unreadable content');
      fs.chmodSync(p, 0o000);
    }, ['output', 'trash']);
    ctx.inject(ScenarioContext.names('e', ctx.pick(1000, 100), ctx.pick(1000, 100)));
    // The entries leave the inbox (except the folder) once the worker handled them; only then can the targets be checked.
    await waitFor('bad entries handled', () => fs.readdirSync(inbox).filter((n) => !n.startsWith('e')).join() === 'a-folder', 120_000, 100);
    victims.check();
    ctx.faultOver();
  },
};
