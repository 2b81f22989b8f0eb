// The RESP2 reply parser: real replies of a real redis-server, fed whole, byte by byte and cut at every position.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { ReplyError } from '../../runtime/redis/errors';
import { encodeCommand } from '../../runtime/redis/encode';
import { ProtocolError, ReplyParser, type Reply } from '../../runtime/redis/reply-parser';
import { startTestRedis, type TestRedis } from '../helpers/redis-server';

/** Sends raw commands on a plain socket and returns the exact bytes Redis answered (until `replies` CRLF-ended replies are in). */
async function rawReplies(socket: string, commands: Array<[string, ...string[]]>): Promise<Buffer> {
  const conn = net.createConnection(socket);
  const chunks: Buffer[] = [];
  const replies: Reply[] = [];
  const parser = new ReplyParser((r) => replies.push(r));
  await new Promise<void>((resolve, reject) => {
    conn.on('error', reject);
    conn.on('data', (d: Buffer) => {
      chunks.push(d);
      parser.feed(d);
      if (replies.length === commands.length) resolve();
    });
    conn.write(commands.map(([c, ...a]) => encodeCommand(c, a)).join(''));
  });
  conn.destroy();
  return Buffer.concat(chunks);
}

function parseChunks(chunks: Buffer[]): Reply[] {
  const out: Reply[] = [];
  const parser = new ReplyParser((r) => out.push(r));
  for (const c of chunks) parser.feed(c);
  return out;
}

const big = 'x'.repeat(1024 * 1024 - 3) + 'é';
const text = 'zoë 日本語 😀 𝄞';

describe('ReplyParser', () => {
  let redis: TestRedis;
  let bytes: Buffer;
  let expected: Reply[];

  before(async () => {
    redis = await startTestRedis();
    // Every reply type: status, integer, bulk (UTF-8, non-BMP, empty), nil bulk, arrays (empty, nil, nested), errors.
    const commands: Array<[string, ...string[]]> = [
      ['SET', 'k', text], ['GET', 'k'], ['SET', 'empty', ''], ['GET', 'empty'], ['GET', 'missing'], ['INCRBY', 'n', '-42'],
      ['RPUSH', 'l', 'a', '', text], ['LRANGE', 'l', '0', '-1'], ['LRANGE', 'none', '0', '-1'],
      ['BLMPOP', '0.01', '1', 'none', 'RIGHT'], ['RPUSH', 'q', 'm1', 'm2'], ['BLMPOP', '1', '1', 'q', 'RIGHT', 'COUNT', '5'],
      ['MULTI'], ['INCR', 'n'], ['HSET', 'k', 'f', 'v'], ['EXEC'],
      ['NOSUCHCOMMAND'], ['EVAL', 'return {1, {2, {"three"}}, redis.error_reply("inner")}', '0'],
    ];
    bytes = await rawReplies(redis.socket, commands);
    expected = parseChunks([bytes]);
  });
  after(async () => { await redis?.stop(); });

  it('decodes every reply type as ioredis does', () => {
    const [setOk, got, , empty, missing, n, , list, noList, popNone, , popped, multiOk, q1, q2, exec, unknown, nested] = expected;
    assert.equal(setOk, 'OK');
    assert.equal(got, text);
    assert.equal(empty, '');
    assert.equal(missing, null);
    assert.equal(n, -42);
    assert.deepEqual(list, ['a', '', text]);
    assert.deepEqual(noList, []);
    assert.equal(popNone, null);
    assert.deepEqual(popped, ['q', ['m2', 'm1']]);
    assert.deepEqual([multiOk, q1, q2], ['OK', 'QUEUED', 'QUEUED']);
    // EXEC: an integer and an error inside the array (HSET on a string key).
    assert.ok(Array.isArray(exec));
    assert.equal(exec[0], -41);
    assert.ok(exec[1] instanceof ReplyError);
    assert.match(exec[1].message, /^WRONGTYPE/);
    assert.ok(unknown instanceof ReplyError);
    assert.match(unknown.message, /unknown command/);
    assert.ok(Array.isArray(nested));
    assert.deepEqual(nested.slice(0, 2), [1, [2, ['three']]]);
    assert.ok(nested[2] instanceof ReplyError);
    assert.equal(nested[2].message, 'ERR inner');
  });

  it('gives the same replies whatever byte the stream is cut at', () => {
    for (let cut = 1; cut < bytes.length; cut++) {
      assert.deepEqual(parseChunks([bytes.subarray(0, cut), bytes.subarray(cut)]), expected, `cut at byte ${cut}`);
    }
  });

  it('gives the same replies fed one byte at a time', () => {
    const oneByOne: Buffer[] = [];
    for (let i = 0; i < bytes.length; i++) oneByOne.push(bytes.subarray(i, i + 1));
    assert.deepEqual(parseChunks(oneByOne), expected);
  });

  it('reads a 1 MB bulk string in 64 KB chunks, and what follows it in the same chunk', async () => {
    const raw = await rawReplies(redis.socket, [['SET', 'big', big], ['GET', 'big'], ['STRLEN', 'big']]);
    const chunks: Buffer[] = [];
    for (let i = 0; i < raw.length; i += 65536) chunks.push(raw.subarray(i, i + 65536));
    const replies = parseChunks(chunks);
    assert.equal(replies.length, 3);
    assert.equal(replies[1], big);
    assert.equal(replies[2], Buffer.byteLength(big));
  });

  it('refuses bytes that are not RESP2', () => {
    assert.throws(() => parseChunks([Buffer.from('?what\r\n')]), ProtocolError);
  });
});
