// Adapts the plain node models of views/model.ts to a VS Code tree: one provider class for the three views.
import * as vscode from 'vscode';
import type { NodeModel } from './model';

export function toTreeItem(node: NodeModel): vscode.TreeItem {
  const state =
    node.collapsible === 'none' ? vscode.TreeItemCollapsibleState.None : node.collapsible === 'expanded' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
  const item = new vscode.TreeItem(node.label, state);
  item.id = node.id;
  item.description = node.description;
  item.tooltip = node.tooltip;
  item.contextValue = node.contextValue;
  if (node.icon) {
    const [id, color] = node.icon.split(':');
    item.iconPath = new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
  }
  return item;
}

export class ModelTreeProvider implements vscode.TreeDataProvider<NodeModel> {
  private readonly changed = new vscode.EventEmitter<NodeModel | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** What the view showed last (the tests read it to compare with the runtime). */
  lastRoots: NodeModel[] = [];

  constructor(
    private readonly roots: () => NodeModel[],
    /** Children fetched when a node without eager children is expanded (queue messages). */
    private readonly lazyChildren?: (node: NodeModel) => Promise<NodeModel[]>,
  ) {}

  getTreeItem(node: NodeModel): vscode.TreeItem {
    return toTreeItem(node);
  }

  async getChildren(node?: NodeModel): Promise<NodeModel[]> {
    if (!node) {
      this.lastRoots = this.roots();
      return this.lastRoots;
    }
    if (node.children) return node.children;
    return this.lazyChildren ? this.lazyChildren(node) : [];
  }

  /** The parent among what the view showed last (TreeView.reveal needs it). */
  getParent(node: NodeModel): NodeModel | undefined {
    const walk = (list: NodeModel[], parent: NodeModel | undefined): NodeModel | undefined | null => {
      for (const n of list) {
        if (n.id === node.id) return parent;
        const found = n.children ? walk(n.children, n) : null;
        if (found !== null) return found;
      }
      return null;
    };
    return walk(this.lastRoots, undefined) ?? undefined;
  }

  /** The node with this id among what the view showed last. */
  find(id: string): NodeModel | undefined {
    const stack = [...this.lastRoots];
    for (let n = stack.pop(); n; n = stack.pop()) {
      if (n.id === id) return n;
      stack.push(...(n.children ?? []));
    }
    return undefined;
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
