// Messages between the log panel's webview (media/logs/panel.js) and the extension host.
import type { LogLevel } from '../../runtime/log/record';

/** The filters the panel's toolbar sets. Empty strings mean "any". */
export interface PanelFilter {
  level: LogLevel | '';
  plugin: string;
  step: string;
  text: string;
  regex: boolean;
}

/** One visible row, already formatted (the webview only puts text into cells). */
export interface LogRow {
  /** Position in the filtered list. */
  index: number;
  /** Stable id of the entry in the store (for "open" actions). */
  seq: number;
  /** `HH:MM:SS.ffffff` (UTC, as written); the full timestamp is in `timestamp`. */
  time: string;
  timestamp: string;
  level: LogLevel;
  /** `plugin/step`, or the logger name for core processes, or the file name for raw lines. */
  origin: string;
  message: string;
  /** Sorted `k=v` context. */
  context: string;
  name: string;
  pid: number;
  exception?: string;
  exceptionType?: string;
  exceptionFile?: string;
  /** A line that is not an mflog record. */
  raw: boolean;
  file: string;
  plugin?: string;
  step?: string;
  /** The uid or original name of the file the record is about ("Show Journey"). */
  journey?: string;
}

export interface PanelState {
  type: 'state';
  /** Rows matching the filter. */
  total: number;
  /** Records held (the panel keeps the newest ones up to a cap). */
  held: number;
  /** Bumped when the filtered list changes other than by appending: the webview drops its row cache. */
  generation: number;
  filter: PanelFilter;
  paused: boolean;
  plugins: string[];
  steps: string[];
  error?: string;
}

export interface RowsMessage {
  type: 'rows';
  generation: number;
  start: number;
  rows: LogRow[];
}

export type ToWebview = PanelState | RowsMessage;

export type FromWebview =
  | { type: 'ready' }
  | { type: 'filter'; filter: PanelFilter }
  | { type: 'rows'; start: number; count: number }
  | { type: 'pause'; paused: boolean }
  | { type: 'clear' }
  | { type: 'openConfig'; seq: number }
  | { type: 'openFile'; file: string }
  | { type: 'showJourney'; query: string };
