// Messages between the flow view's webview (media/flow/flow.js) and the extension host.
import type { EdgeFile } from './contract';
import type { FlowLayout } from './layout';

export type FlowToWebview =
  /** `relaid`: the shape changed, the drawing is rebuilt; otherwise only counts and figures are updated in place. */
  | { type: 'layout'; layout: FlowLayout; relaid: boolean; status: string }
  | { type: 'edgeFiles'; edge: string; files: EdgeFile[]; error?: string }
  | { type: 'status'; status: string; error?: boolean };

export type FlowFromWebview =
  | { type: 'ready' }
  /** A node was clicked: reveal its step in the Plugins view. */
  | { type: 'node'; id: string }
  /** An edge was clicked: list the recent files that took it. */
  | { type: 'edge'; id: string }
  | { type: 'journey'; uid: string };
