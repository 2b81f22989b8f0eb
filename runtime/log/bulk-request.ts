// The Elasticsearch `_bulk` wire format (7.x and 8.x, no mapping types): NDJSON `create` actions with
// deterministic ids into `mflog-YYYY.MM.DD`, and the per-item outcome of a response.
import { createHash } from 'node:crypto';
import * as path from 'node:path';

/** One log line to index. `id` makes a replay after a crash a harmless 409 instead of a duplicate. */
export interface BulkDoc {
  id: string;
  index: string;
  source: Record<string, unknown>;
}

/** `mflog-YYYY.MM.DD` of a record timestamp (UTC), or of `fallbackMs` when the timestamp is unusable. */
export function indexFor(timestamp: unknown, fallbackMs: number, prefix = 'mflog-'): string {
  const ms = typeof timestamp === 'string' ? Date.parse(timestamp) : NaN;
  const iso = new Date(Number.isNaN(ms) ? fallbackMs : ms).toISOString();
  return `${prefix}${iso.slice(0, 4)}.${iso.slice(5, 7)}.${iso.slice(8, 10)}`;
}

/** A stable id for the line at `offset` of the file whose first line has fingerprint `head`. */
export function docId(file: string, head: string, offset: number): string {
  return createHash('sha1').update(`${path.basename(file)}\0${head}\0${offset}`).digest('base64url').slice(0, 22);
}

/** The request body: an action line and a source line per doc, newline-terminated. */
export function bulkBody(docs: readonly BulkDoc[]): string {
  let body = '';
  for (const d of docs) body += `${JSON.stringify({ create: { _index: d.index, _id: d.id } })}\n${JSON.stringify(d.source)}\n`;
  return body;
}

export type ItemOutcome = 'done' | 'retry' | 'rejected';

export interface ItemResult {
  outcome: ItemOutcome;
  status: number;
  /** Elasticsearch's reason for a rejected or retried item. */
  reason?: string;
}

interface BulkResponseItem {
  [action: string]: { status?: number; error?: { type?: string; reason?: string } | string } | undefined;
}

/** Classifies each item of a `_bulk` response (same order as the request). 409 on create = indexed by an earlier try. */
export function itemResults(response: unknown, count: number): ItemResult[] {
  const items = (response as { items?: BulkResponseItem[] } | null)?.items;
  if (!Array.isArray(items) || items.length !== count) {
    // A response we cannot match to our docs: send them all again (ids make that safe).
    return Array.from({ length: count }, () => ({ outcome: 'retry' as const, status: 0, reason: 'bulk response without one item per document' }));
  }
  return items.map((item) => {
    const result = Object.values(item)[0] ?? {};
    const status = typeof result.status === 'number' ? result.status : 0;
    const error = result.error;
    const reason = typeof error === 'string' ? error : error ? `${error.type ?? 'error'}: ${error.reason ?? ''}` : undefined;
    if ((status >= 200 && status < 300) || status === 409) return { outcome: 'done', status };
    if (status === 429 || status >= 500 || status === 0) return { outcome: 'retry', status, reason };
    return { outcome: 'rejected', status, reason };
  });
}

/** Exponential backoff: base * 2^attempt, capped. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
}
