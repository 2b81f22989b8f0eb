// Pure aggregation for the InfluxDB sink: the points of one flush interval folded per series, as Telegraf's statsd input does.
import { lineProtocol, seriesKey, type MetricKind, type Tags } from './format';

interface Series {
  kind: MetricKind;
  key: string;
  /** counter: sum; gauge: last value; timer: sum of values. */
  value: number;
  count: number;
  lower: number;
  upper: number;
}

/**
 * Counters become `value=<sum>`, gauges `value=<last>`, timers `count,lower,mean,sum,upper` (Telegraf's statsd
 * field names, so queries written for Telegraf's output read ours the same way). A series holds one kind:
 * the same name and tags used with another kind starts a separate series.
 */
export class Aggregator {
  private series = new Map<string, Series>();

  get size(): number {
    return this.series.size;
  }

  add(kind: MetricKind, name: string, tags: Tags, value: number): void {
    if (!Number.isFinite(value)) return;
    const key = seriesKey(name, tags);
    const id = `${kind}\u0000${key}`;
    const s = this.series.get(id);
    if (!s) {
      this.series.set(id, { kind, key, value, count: 1, lower: value, upper: value });
      return;
    }
    s.count++;
    if (kind === 'gauge') s.value = value;
    else s.value += value;
    if (value < s.lower) s.lower = value;
    if (value > s.upper) s.upper = value;
  }

  /** The interval's points as line protocol, all stamped `timestampNs`; the aggregator starts empty again. */
  drain(timestampNs: string): string[] {
    const lines: string[] = [];
    for (const s of this.series.values()) {
      const fields: Array<[string, number]> = s.kind === 'timer'
        ? [['count', s.count], ['lower', s.lower], ['mean', s.value / s.count], ['sum', s.value], ['upper', s.upper]]
        : [['value', s.value]];
      lines.push(lineProtocol(s.key, fields, timestampNs));
    }
    this.series = new Map();
    return lines;
  }
}
