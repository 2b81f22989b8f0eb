// Where a step may send a file (ctx.moveToPluginStep and the like): a step of the runtime's generated
// configuration, whose inbox is watched. Any other plugin/step would leave the file in a directory no one watches,
// or, with `..` or `/` in a name, outside the runtime's directories.
import type { PluginConfig } from '../config/model';
import { readGeneratedPlugins } from '../flow/configured-edges';
import type { RuntimeHome } from '../home';

/** A miss re-reads the generated configuration (a plugin added while running) at most this often. */
const REREAD_MS = 1000;

export class RouteTargets {
  private known = new Set<string>();
  private plugins: readonly PluginConfig[] = [];
  private readAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly home: RuntimeHome, private readonly now: () => number = Date.now) {}

  /** Undefined when `plugin/step` is a configured step; else why not, naming the steps there are. */
  problem(plugin: string, step: string): string | undefined {
    const key = `${plugin}/${step}`;
    if (this.known.has(key)) return undefined;
    if (this.now() - this.readAt >= REREAD_MS) {
      this.reload();
      if (this.known.has(key)) return undefined;
    }
    const target = this.plugins.find((p) => p.name === plugin);
    if (target) return `plugin '${plugin}' has no step '${step}' (its steps: ${target.steps.map((s) => s.name).join(', ') || 'none'})`;
    return `no plugin '${plugin}' in the runtime's configuration (plugins: ${this.plugins.map((p) => p.name).join(', ') || 'none'})`;
  }

  private reload(): void {
    this.readAt = this.now();
    this.plugins = readGeneratedPlugins(this.home);
    this.known = new Set(this.plugins.flatMap((p) => p.steps.map((s) => `${p.name}/${s.name}`)));
  }
}
