// The log panel's model (no vscode, no DOM): the newest records up to a cap, the filtered view over them, and
// rows formatted for the visible window only. This is what keeps 100,000 records cheap in the panel.
import type { LogEntry } from '../../runtime/log/entry';
import { compileFilter, searchText, type LogFilter } from '../../runtime/log/filter';
import { renderContext } from '../../runtime/log/record';
import type { LogRow, PanelFilter } from './protocol';
import { journeyKeyOfRecord } from '../flow/journeyModel';

interface Stored {
  seq: number;
  entry: LogEntry;
  /** Lower-cased search text, built the first time a text filter needs it. */
  text?: string;
}

export const EMPTY_FILTER: PanelFilter = { level: '', plugin: '', step: '', text: '', regex: false };

export class LogStore {
  private items: Stored[] = [];
  /** Indexes into `items` of the entries that pass the filter. */
  private view: number[] = [];
  private nextSeq = 0;
  private test: (item: Stored) => boolean = () => true;
  private filterValue: PanelFilter = EMPTY_FILTER;
  private readonly plugins = new Set<string>();
  private readonly steps = new Set<string>();
  /** Changes whenever rows already shown may have changed (filter, clear, trimming). */
  generation = 0;

  constructor(readonly capacity = 200_000) {}

  get filter(): PanelFilter {
    return this.filterValue;
  }

  /** Rows passing the filter. */
  get total(): number {
    return this.view.length;
  }

  get held(): number {
    return this.items.length;
  }

  facets(): { plugins: string[]; steps: string[] } {
    return { plugins: [...this.plugins].sort(), steps: [...this.steps].sort() };
  }

  /** Adds new entries (oldest first); only the new ones are filtered. Returns how many passed the filter. */
  append(entries: readonly LogEntry[]): number {
    let passed = 0;
    for (const entry of entries) {
      const item: Stored = { seq: this.nextSeq++, entry };
      this.items.push(item);
      if (entry.plugin) this.plugins.add(entry.plugin);
      if (entry.step) this.steps.add(entry.step);
      if (this.test(item)) {
        this.view.push(this.items.length - 1);
        passed++;
      }
    }
    // Trim in chunks (a tenth of the cap at a time) so appending stays amortised O(1).
    if (this.items.length > this.capacity * 1.1) this.trim(this.items.length - this.capacity);
    return passed;
  }

  /** Applies a filter to everything held. Throws LogFilterError for a bad regular expression (the old filter stays). */
  setFilter(filter: PanelFilter): void {
    const f: LogFilter = {
      level: filter.level || undefined,
      plugin: filter.plugin || undefined,
      step: filter.step || undefined,
      text: filter.text || undefined,
      regex: filter.regex,
    };
    const test = compileStoredFilter(f);
    const view: number[] = [];
    for (let i = 0; i < this.items.length; i++) if (test(this.items[i])) view.push(i);
    this.test = test;
    this.view = view;
    this.filterValue = { ...filter };
    this.generation++;
  }

  /** "Clear" (or a home switch): forget everything held so far, the plugins and steps offered by the filter too. */
  clear(): void {
    this.items = [];
    this.view = [];
    this.plugins.clear();
    this.steps.clear();
    this.generation++;
  }

  /** Formatted rows `start .. start+count-1` of the filtered list. */
  rows(start: number, count: number): LogRow[] {
    const out: LogRow[] = [];
    const end = Math.min(this.view.length, start + count);
    for (let i = Math.max(0, start); i < end; i++) out.push(toRow(i, this.items[this.view[i]]));
    return out;
  }

  /** The entry with this id, while it is still held. */
  bySeq(seq: number): LogEntry | undefined {
    const first = this.items[0]?.seq ?? 0;
    return this.items[seq - first]?.entry;
  }

  private trim(drop: number): void {
    this.items = this.items.slice(drop);
    const view: number[] = [];
    for (const i of this.view) if (i >= drop) view.push(i - drop);
    this.view = view;
    this.generation++;
  }
}

/** The filter over stored items, with each item's search text built once and kept. */
function compileStoredFilter(filter: LogFilter): (item: Stored) => boolean {
  let current: Stored | undefined;
  const predicate = compileFilter(filter, (entry) =>
    current?.entry === entry ? (current.text ??= searchText(entry).toLowerCase()) : searchText(entry).toLowerCase(),
  );
  return (item) => {
    current = item;
    return predicate(item.entry);
  };
}

function toRow(index: number, item: Stored): LogRow {
  const { entry } = item;
  const r = entry.record;
  const origin = entry.plugin ? (entry.step ? `${entry.plugin}/${entry.step}` : entry.plugin) : r?.name || entry.file;
  return {
    index,
    seq: item.seq,
    time: entry.timestamp.slice(11, 26),
    timestamp: entry.timestamp,
    level: entry.level,
    origin,
    message: r ? r.event : entry.raw,
    context: r ? renderContext(r) : '',
    name: r?.name ?? '',
    pid: r?.pid ?? 0,
    exception: typeof r?.exception === 'string' ? r.exception : undefined,
    exceptionType: typeof r?.exception_type === 'string' ? r.exception_type : undefined,
    exceptionFile: typeof r?.exception_file === 'string' ? r.exception_file : undefined,
    raw: !r,
    file: entry.file,
    plugin: entry.plugin,
    step: entry.step,
    journey: journeyKeyOfRecord(r),
  };
}
