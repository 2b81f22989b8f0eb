// One round of MFDATA's collector measurements: var_in_files (files per top-level IN directory), metwork_module (CPU, memory,
// threads, fds per plugin and #core#), mfdata_queue (length per step queue) and metwork_version (runtime status).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FieldValue, Tags } from '../format';
import type { RuntimeStatus } from '../../supervisor/protocol';
import { cpuPercent, memTotalKb, processTree, sampleProcess, uptimeSeconds, withDescendants, type ProcSample } from './proc';

export interface CollectedPoint {
  measurement: string;
  tags: Tags;
  fields: Array<[string, FieldValue]>;
}

export interface CollectorDeps {
  inDir: string;
  /** The supervisor's status (control socket); undefined when it does not answer. */
  status(): Promise<RuntimeStatus | undefined>;
  /** LLEN of each queue, in order; undefined when Redis does not answer in time. */
  queueLengths(queues: readonly string[]): Promise<number[] | undefined>;
  /** The collector's own pid: reported as `#monitoring#`, as MFDATA reports its Telegraf. */
  selfPid: number;
}

/** The group of MFDATA's non-plugin processes (supervisor, redis, observer, conf_monitor, …). */
export const CORE = '#core#';
export const MONITORING = '#monitoring#';

/** status_code of metwork_version: 0 = all running, 1 = degraded, 2 = starting or stopping, 3 = supervisor not answering. */
const STATUS_CODES: Record<RuntimeStatus['state'] | 'unreachable', number> = { running: 0, degraded: 1, starting: 2, stopping: 2, unreachable: 3 };

/** Regular files below `dir`, recursively (MFDATA's `find -type f | wc -l`); what vanishes during the walk is not counted. */
export function countFiles(dir: string): number {
  let n = 0;
  let entries: fs.Dirent[];
  try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return 0; }
  for (const e of entries) {
    if (e.isFile()) n++;
    else if (e.isDirectory()) n += countFiles(path.join(dir, e.name));
  }
  return n;
}

export class Collector {
  private previous = new Map<number, ProcSample>();
  private previousAt = 0;

  constructor(private readonly deps: CollectorDeps, private readonly baseTags: Tags) {}

  async round(): Promise<CollectedPoint[]> {
    const status = await this.deps.status();
    const points: CollectedPoint[] = [...this.inFiles(), ...this.modules(status)];
    const steps = (status?.watchers ?? []).filter((w) => w.kind === 'step' && w.plugin && w.step);
    const lengths = steps.length > 0 ? await this.deps.queueLengths(steps.map((w) => `step.${w.plugin}.${w.step}`)) : [];
    if (lengths) {
      steps.forEach((w, i) => points.push({ measurement: 'mfdata_queue', tags: this.tags(['plugin', w.plugin as string], ['step', w.step as string]), fields: [['length', lengths[i]]] }));
    }
    const state = status?.state ?? 'unreachable';
    points.push({
      measurement: 'metwork_version',
      tags: this.tags(['modname', 'mfdata'], ['bypassbasicstats', '1']),
      fields: [['version', status?.version ?? ''], ['status', state.toUpperCase()], ['status_code', STATUS_CODES[state]]],
    });
    return points;
  }

  private tags(...extra: Array<[string, string]>): Tags {
    return [...this.baseTags, ...extra];
  }

  private inFiles(): CollectedPoint[] {
    let dirs: fs.Dirent[] = [];
    try { dirs = fs.readdirSync(this.deps.inDir, { withFileTypes: true }).filter((d) => d.isDirectory()); } catch { /* IN not made yet */ }
    return dirs.sort((a, b) => (a.name < b.name ? -1 : 1)).map((d) => ({
      measurement: 'var_in_files', tags: this.tags(['directory_name', d.name]), fields: [['file_count', countFiles(path.join(this.deps.inDir, d.name))]],
    }));
  }

  /** metwork_module per group: sums over the group's processes and their children. */
  private modules(status: RuntimeStatus | undefined): CollectedPoint[] {
    const groups = new Map<string, number[]>([[CORE, status ? [status.pid] : []], [MONITORING, [this.deps.selfPid]]]);
    const tree = processTree();
    for (const w of status?.watchers ?? []) {
      if (w.kind === 'metrics_collector') continue;
      const group = w.plugin ?? CORE;
      const pids = withDescendants(tree, w.processes.map((p) => p.pid));
      groups.set(group, [...(groups.get(group) ?? []), ...pids]);
    }
    const memTotal = memTotalKb();
    const uptime = uptimeSeconds();
    const now = Date.now();
    const elapsed = this.previousAt > 0 ? (now - this.previousAt) / 1000 : 0;
    const samples = new Map<number, ProcSample>();
    const points: CollectedPoint[] = [];
    for (const [group, pids] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const totals = { mem: 0, cpu: 0, threads: 0, fds: 0 };
      for (const pid of new Set(pids)) {
        const s = sampleProcess(pid);
        if (!s) continue;
        samples.set(pid, s);
        totals.mem += memTotal > 0 ? (s.rssKb / memTotal) * 100 : 0;
        totals.cpu += cpuPercent(s, this.previous.get(pid), elapsed, uptime);
        totals.threads += s.threads;
        totals.fds += s.fds;
      }
      points.push({
        measurement: 'metwork_module', tags: this.tags(['plugin', group]),
        fields: [['mem_percent', round2(totals.mem)], ['cpu_percent', round2(totals.cpu)], ['num_threads', totals.threads], ['num_fds', totals.fds]],
      });
    }
    this.previous = samples;
    this.previousAt = now;
    return points;
  }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
