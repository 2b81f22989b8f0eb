// Shapes of the configuration language service: LSP-like positions and results, and what it asks of its host.
import type { FileKind } from '../../../runtime/config/schema';

/** 0-based line and UTF-16 character, like an editor position. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A configuration file the service understands, with what it belongs to. */
export interface DocumentInfo {
  kind: FileKind;
  /** The plugin a config.ini or an operator override belongs to. */
  plugin?: { name: string; dir: string };
  /** True for a file the runtime writes (`<home>/tmp/config_auto/…`): shown read-only. */
  generated: boolean;
}

/** A document as the service sees it: where it lives and its current (maybe unsaved) text. */
export interface TextDocumentLike {
  /** Absolute file path. */
  path: string;
  text: string;
}

export type DiagnosticSeverity = 'error' | 'warning' | 'information';

export interface LanguageDiagnostic {
  range: Range;
  severity: DiagnosticSeverity;
  /** The ConfigProblem code (`unknown-key`, `missing-directory`…): quick fixes key on it. */
  code: string;
  /** `<message> (<hint>)`: the text `mfdata config check` prints after `error:`/`warning:`. */
  message: string;
  key?: string;
  section?: string;
}

export type CompletionKind = 'section' | 'key' | 'value' | 'enum' | 'folder' | 'file' | 'step' | 'queue';

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  /** One line shown next to the label (type and default). */
  detail?: string;
  /** Markdown. */
  documentation?: string;
  insertText: string;
  /** The text the item replaces. */
  range: Range;
  sortText?: string;
}

export interface HoverResult {
  /** Markdown. */
  contents: string;
  range: Range;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface CodeAction {
  title: string;
  /** The diagnostic this action fixes. */
  diagnostic: LanguageDiagnostic;
  isPreferred?: boolean;
  /** Edits of the document itself. */
  edits?: TextEdit[];
  /** An absolute directory to create (the host runs it: edits cannot create directories). */
  createDirectory?: string;
}

export interface DocumentSymbol {
  name: string;
  detail: string;
  kind: 'section' | 'key';
  range: Range;
  selectionRange: Range;
  children: DocumentSymbol[];
}

export interface Location {
  path: string;
  range: Range;
}

/** A `plugin/step` the service found in a value (target, queue name, step section). */
export interface StepReference {
  plugin: string;
  step: string;
  range: Range;
}

/** Live figures of a step while the runtime runs (the host reads them from Redis). */
export interface StepFigures {
  /** Messages waiting in `step.<plugin>.<step>`. */
  queued: number;
  /** Files the step claimed since Redis started (`counter.<plugin>.<step>`). */
  processed: number;
  /** Files given up on over the last day. */
  failed: number;
}

/** Why a step has no live figures: the setting is off, the runtime does not run, or Redis did not answer (in time). */
export type NoLiveFigures = 'off' | 'not running' | 'timed out' | 'unreadable';

export interface LiveFigures {
  /** The figures, or why there are none. */
  stepFigures(plugin: string, step: string): Promise<StepFigures | NoLiveFigures>;
}

/** What the service needs to know about the workspace and the file system around a document. */
export interface LanguageEnvironment {
  /** The runtime home root (for `{{MFDATA_HOME}}`, inbox paths and generated files). */
  readonly home: string;
  /** The environment `{{VAR}}` expansion reads. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** What a file is, from its path; undefined for files the service does not handle. */
  classify(filePath: string): DocumentInfo | undefined;
  /** Every `plugin/step` declared on disk (workspace, installed and internal plugins), sorted. */
  knownSteps(): readonly string[];
  /**
   * What an operator override of a plugin is checked against, from the plugin's config.ini on disk: the `_step_module`
   * of each `[step_<name>]` (by section name) and the names of its sections.
   */
  pluginLayout(plugin: { name: string; dir: string }): { stepModules: Readonly<Record<string, string>>; sections: readonly string[] };
  /** Where `[step_<step>]` is declared in the plugin's config.ini. */
  stepLocation(plugin: string, step: string): Location | undefined;
  isDirectory(absolutePath: string): boolean;
  /** Names of the sub-directories of a directory ([] when unreadable). */
  listDirectories(absolutePath: string): string[];
  /** Names of the files of a directory ([] when unreadable). */
  listFiles(absolutePath: string): string[];
}
