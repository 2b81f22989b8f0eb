// The trash browser of the Plugins view: lists the runtime home's trash (runtime/trash) at each refresh of the
// views and hangs the files under their steps (src/flow/trashModel.ts). Holds the entries the commands act on.
import { listTrash } from '../../runtime/trash/trash';
import type { RuntimeHome } from '../../runtime/home';
import type { NodeModel } from '../views/model';
import type { PluginsDecoration } from '../views/registerViews';
import type { TrashEntry } from './contract';
import { withTrash } from './trashModel';

export class TrashBrowser implements PluginsDecoration {
  private entries: TrashEntry[] = [];

  constructor(private readonly home: () => RuntimeHome | undefined) {}

  /** Reads the trash directories (no Redis: the tags are the `.tags` files next to the files). */
  async load(): Promise<void> {
    const home = this.home();
    try {
      this.entries = home ? listTrash(home) : [];
    } catch {
      // A trash directory removed while read: the next refresh lists it again.
      this.entries = [];
    }
  }

  decorate(plugins: NodeModel[]): NodeModel[] {
    return withTrash(plugins, this.entries);
  }

  /** The entry a tree node (or a path) stands for, as last listed. */
  entry(file: string): TrashEntry | undefined {
    return this.entries.find((e) => e.path === file);
  }

  get all(): readonly TrashEntry[] {
    return this.entries;
  }
}
