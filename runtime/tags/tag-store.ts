// Tags of files in Redis hashes `xattr_<md5(absolute path)>` (TTL refreshed on write): read, write, move, copy, drop.
import type { DataRedis } from '../redis/types';
import { tagsKey, TAGS_TTL_SECONDS } from '../queue/keys';
import { writeFileWhole, type WriteWholeOptions } from '../util/write-whole';
import { formatTagsFile } from './tag-names';

const RENAME_IF_EXISTS = `
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('RENAME', KEYS[1], KEYS[2])
  redis.call('EXPIRE', KEYS[2], ARGV[1])
  return 1
end
return 0`;

const COPY_IF_EXISTS = `
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('COPY', KEYS[1], KEYS[2], 'REPLACE')
  redis.call('EXPIRE', KEYS[2], ARGV[1])
  return 1
end
return 0`;

interface TagCommands {
  mfdataRenameTags(src: string, dst: string, ttl: number): Promise<number>;
  mfdataCopyTags(src: string, dst: string, ttl: number): Promise<number>;
}

export class TagStore {
  private readonly commands: TagCommands;
  /**
   * Paths whose tag writes are tracked (a worker's claims in progress) → whether anything wrote their tags since:
   * a journey's leave event then reads the tags back only when the step set some.
   */
  private readonly tracked = new Map<string, boolean>();

  constructor(readonly redis: DataRedis) {
    if (!('mfdataRenameTags' in redis)) {
      redis.defineCommand('mfdataRenameTags', { numberOfKeys: 2, lua: RENAME_IF_EXISTS });
      redis.defineCommand('mfdataCopyTags', { numberOfKeys: 2, lua: COPY_IF_EXISTS });
    }
    this.commands = redis as unknown as TagCommands;
  }

  /** Starts noting whether `file`'s tags are written (set, increment, moved or copied onto it). */
  track(file: string): void {
    this.tracked.set(file, false);
  }

  /** Whether `file`'s tags were written since track() (true when it was not tracked); it is no longer tracked. */
  untrack(file: string): boolean {
    const written = this.tracked.get(file) ?? true;
    this.tracked.delete(file);
    return written;
  }

  private wrote(file: string): void {
    if (this.tracked.has(file)) this.tracked.set(file, true);
  }

  async getAll(file: string): Promise<Record<string, string>> {
    return this.redis.hgetall(tagsKey(file));
  }

  async get(file: string, name: string): Promise<string | undefined> {
    return (await this.redis.hget(tagsKey(file), name)) ?? undefined;
  }

  async set(file: string, fields: Record<string, string | number>): Promise<void> {
    this.wrote(file);
    const key = tagsKey(file);
    await this.redis.multi().hset(key, fields).expire(key, TAGS_TTL_SECONDS).exec();
  }

  async increment(file: string, name: string): Promise<number> {
    this.wrote(file);
    const key = tagsKey(file);
    const result = await this.redis.multi().hincrby(key, name, 1).expire(key, TAGS_TTL_SECONDS).exec();
    return Number(result?.[0]?.[1] ?? 0);
  }

  /** Moves the tags of `src` to `dst` (the file is being renamed). True if there were tags. */
  async move(src: string, dst: string): Promise<boolean> {
    this.wrote(dst);
    return (await this.commands.mfdataRenameTags(tagsKey(src), tagsKey(dst), TAGS_TTL_SECONDS)) === 1;
  }

  async copy(src: string, dst: string): Promise<boolean> {
    this.wrote(dst);
    return (await this.commands.mfdataCopyTags(tagsKey(src), tagsKey(dst), TAGS_TTL_SECONDS)) === 1;
  }

  async drop(file: string): Promise<void> {
    await this.redis.del(tagsKey(file));
  }

  /** Writes `<tagsFile>` with the file's tags (plus `extra`) as sorted `key = value` lines. */
  async dump(file: string, tagsFile: string, extra: Record<string, string> = {}, whenFull?: WriteWholeOptions): Promise<Record<string, string>> {
    const tags = { ...(await this.getAll(file)), ...extra };
    // Whole or nothing, waiting for space on a full disk: a cut .tags would lose the failure reason (write-whole.ts).
    await writeFileWhole(tagsFile, formatTagsFile(tags), whenFull);
    return tags;
  }
}
