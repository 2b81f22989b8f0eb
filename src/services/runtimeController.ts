// Starts, stops and restarts this window's runtime, refusing untrusted workspaces, and keeps the
// `mfdata.state` context value (the welcome views' key) and the starting flag current.
import * as vscode from 'vscode';
import type { RuntimeLauncher } from '../runtime/launcher';
import { extensionState, type ExtensionState, type StateFacts } from './runtimeState';
import type { RuntimeMonitor } from './runtimeMonitor';
import type { RuntimeWorkspace } from './workspace';

export class RuntimeRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuntimeRefusedError';
  }
}

export class RuntimeController implements vscode.Disposable {
  private starting = false;
  private readonly changed = new vscode.EventEmitter<ExtensionState>();
  /** Fires whenever the facts behind the state may have changed. */
  readonly onDidChangeState = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private lastState?: ExtensionState;

  constructor(
    private readonly workspace: RuntimeWorkspace,
    private readonly launcher: RuntimeLauncher,
    private readonly monitor: RuntimeMonitor,
  ) {
    this.subscriptions.push(
      monitor.onDidChangeStatus(() => this.update()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.update()),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('mfdata') && this.update()),
    );
    const watcher = vscode.workspace.createFileSystemWatcher('**/plugins/*/config.ini');
    this.subscriptions.push(watcher, watcher.onDidCreate(() => this.update()), watcher.onDidDelete(() => this.update()));
    this.update();
  }

  facts(): StateFacts {
    return {
      trusted: vscode.workspace.isTrusted,
      hasPlugins: this.workspace.plugins().length > 0,
      redisFound: this.launcher.redisServer() !== undefined,
      starting: this.starting,
      status: this.monitor.status,
    };
  }

  get state(): ExtensionState {
    return extensionState(this.facts());
  }

  /** Recomputes the state, sets the context key, tells listeners. */
  update(): void {
    const state = this.state;
    if (state !== this.lastState) {
      this.lastState = state;
      void vscode.commands.executeCommand('setContext', 'mfdata.state', state);
    }
    this.changed.fire(state);
  }

  /** Starts the runtime; resolves once its supervisor answers. Throws RuntimeRefusedError when it must not run. */
  async start(): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      throw new RuntimeRefusedError('MFDATA does not start the runtime in an untrusted workspace: it runs the plugin code of this folder. Trust the folder (Workspaces: Manage Workspace Trust) to start it.');
    }
    const root = this.workspace.root;
    const home = this.workspace.home();
    if (!root || !home) throw new RuntimeRefusedError('MFDATA needs a folder open on the local file system to start the runtime.');
    if (await this.monitor.client.connect()) return; // already running (perhaps started from the CLI)
    this.starting = true;
    this.update();
    try {
      await this.launcher.start({ workspace: root, home: home.root }, () => this.monitor.client.connect());
      await this.monitor.client.refresh();
    } finally {
      this.starting = false;
      this.update();
    }
  }

  /**
   * Stops the runtime with `mfdata stop` (ordered: observer and conf_monitor, step workers, redis last),
   * which returns once the supervisor PROCESS has exited, not merely once its socket closed: the
   * supervisor removes its socket before it has finished stopping its children.
   */
  async stop(timeoutMs = 120_000): Promise<void> {
    const root = this.workspace.root;
    const home = this.workspace.home();
    if (!root || !home) return;
    const result = await this.launcher.cli({ workspace: root, home: home.root }, ['stop', '--timeout', String(Math.ceil(timeoutMs / 1000))], { timeoutMs: timeoutMs + 10_000 });
    if (result.code !== 0) throw new Error(`mfdata stop (home ${home.root}) failed (exit ${result.code}): ${(result.stderr || result.stdout).trim()}`);
    // The supervisor is gone; give this window's connection the moment it takes to see its socket close.
    const deadline = Date.now() + 5000;
    while (this.monitor.client.connected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    this.update();
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
