// Pure formatting of metric points: MFDATA's statsd lines (InfluxDB-style tags in the bucket name) and InfluxDB line protocol.

/** An ordered list of tag pairs: MFDATA's order is module, host, plugin, step, then extra tags. */
export type Tags = ReadonlyArray<readonly [string, string]>;

export type MetricKind = 'counter' | 'timer' | 'gauge';

/** MFDATA's metric names (reference: the `acquisition` statsd client). */
export const METRIC = {
  processedFiles: 'number_of_processed_files',
  processedBytes: 'bytes_of_processed_files',
  processingErrors: 'number_of_processing_errors',
  fileTimer: 'processing_file_timer',
  processedBatches: 'number_of_processed_batches',
  batchErrors: 'number_of_processed_batches_error',
  batchTimer: 'processing_batch_timer',
} as const;

/**
 * Base tags plus extra tags; an extra tag with a base tag's key replaces its value in place (so the retry
 * give-up can be counted against the step that failed), new keys follow in their given order.
 */
export function mergeTags(base: Tags, extra: Readonly<Record<string, string | number>> | undefined): Tags {
  if (!extra) return base;
  const out = base.map(([k, v]) => [k, v] as [string, string]);
  for (const [key, value] of Object.entries(extra)) {
    const i = out.findIndex(([k]) => k === key);
    if (i >= 0) out[i][1] = String(value);
    else out.push([key, String(value)]);
  }
  return out;
}

/**
 * A tag key or value as InfluxDB reads it: `,`, `=` and space escaped with `\`. In a statsd bucket `:` and `|`
 * end the name, and a newline ends the packet: those become `_` (no escape exists for them there).
 */
export function escapeTag(text: string): string {
  return text.replace(/[:|\n\r]/g, '_').replace(/[,= \\]/g, (c) => `\\${c}`);
}

/** A measurement name: like a tag, but `=` needs no escape in line protocol; kept escaped for statsd parity. */
export function escapeMeasurement(text: string): string {
  return text.replace(/[:|\n\r]/g, '_').replace(/[, \\]/g, (c) => `\\${c}`);
}

/** `name,k=v,k2=v2`: the series key, used both as the statsd bucket and as the line-protocol series. */
export function seriesKey(name: string, tags: Tags): string {
  let s = escapeMeasurement(name);
  for (const [k, v] of tags) if (v !== '') s += `,${escapeTag(k)}=${escapeTag(v)}`;
  return s;
}

/** A number as statsd carries it: timers with 6 decimals (MFDATA's `%0.6f|ms`), the rest as written. */
function statsdValue(kind: MetricKind, value: number): string {
  if (!Number.isFinite(value)) return '0';
  return kind === 'timer' ? value.toFixed(6) : String(value);
}

const STATSD_TYPE: Record<MetricKind, string> = { counter: 'c', timer: 'ms', gauge: 'g' };

/** One statsd line exactly as MFDATA emits it: `number_of_processed_files,module=mfdata,host=H,plugin=p,step=main:1|c`. */
export function statsdLine(kind: MetricKind, name: string, tags: Tags, value: number): string {
  const bucket = seriesKey(name, tags);
  // A signed gauge value is a relative change in statsd: a negative gauge is set by 0 first (two lines, one packet).
  if (kind === 'gauge' && value < 0) return `${bucket}:0|g\n${bucket}:${statsdValue(kind, value)}|g`;
  return `${bucket}:${statsdValue(kind, value)}|${STATSD_TYPE[kind]}`;
}

/** A line-protocol field value: always a float, so a series never changes field type between points. */
export function fieldValue(value: number): string {
  if (!Number.isFinite(value)) return '0';
  return String(value);
}

/** A point's field: numbers are floats (see fieldValue), strings are quoted (collectors' version and status). */
export type FieldValue = number | string;

/** `series field=1,field2="text" <timestamp>`; fields in the given order. */
export function lineProtocol(series: string, fields: ReadonlyArray<readonly [string, FieldValue]>, timestamp: string): string {
  const field = (v: FieldValue): string => typeof v === 'number' ? fieldValue(v) : `"${v.replace(/["\\]/g, (c) => `\\${c}`).replace(/\n/g, ' ')}"`;
  return `${series} ${fields.map(([k, v]) => `${escapeTag(k)}=${field(v)}`).join(',')} ${timestamp}`;
}

/** Nanoseconds since the epoch as a decimal string (beyond 2^53, so not a number). */
export function epochNs(epochMs: number): string {
  return `${Math.floor(epochMs)}000000`;
}
