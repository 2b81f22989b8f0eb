// The configuration language service: one object the editor adapters call, caching the analysis per text.
import { analyze, type Analysis } from './analysis';
import { codeActions } from './code-actions';
import { complete } from './completion';
import { diagnose } from './diagnostics';
import { hover } from './hover';
import { definition, documentSymbols, foldingRanges } from './symbols';
import type {
  CodeAction, CompletionItem, DocumentInfo, DocumentSymbol, HoverResult, LanguageDiagnostic, LanguageEnvironment, LiveFigures, Location, Position, Range, TextDocumentLike,
} from './types';

const overlaps = (a: Range, b: Range): boolean =>
  !(a.end.line < b.start.line || (a.end.line === b.start.line && a.end.character < b.start.character) ||
    b.end.line < a.start.line || (b.end.line === a.start.line && b.end.character < a.start.character));

export class ConfigLanguageService {
  /** The last analysis per path: completion, hover and actions on the text just diagnosed parse nothing again. */
  private readonly cache = new Map<string, { text: string; analysis: Analysis | undefined }>();

  constructor(
    readonly env: LanguageEnvironment,
    private readonly live?: LiveFigures,
  ) {}

  classify(path: string): DocumentInfo | undefined {
    return this.env.classify(path);
  }

  /** Forgets cached analyses (after the plugins on disk changed: targets may have become valid). */
  invalidate(): void {
    this.cache.clear();
  }

  forget(path: string): void {
    this.cache.delete(path);
  }

  analysis(doc: TextDocumentLike): Analysis | undefined {
    const hit = this.cache.get(doc.path);
    if (hit && hit.text === doc.text) return hit.analysis;
    const analysis = analyze(doc, this.env);
    this.cache.set(doc.path, { text: doc.text, analysis });
    return analysis;
  }

  diagnostics(doc: TextDocumentLike): LanguageDiagnostic[] {
    const a = this.analysis(doc);
    return a ? diagnose(a, this.env) : [];
  }

  completion(doc: TextDocumentLike, p: Position): CompletionItem[] {
    const a = this.analysis(doc);
    return a ? complete(a, this.env, p) : [];
  }

  hover(doc: TextDocumentLike, p: Position): Promise<HoverResult | undefined> {
    const a = this.analysis(doc);
    return a ? hover(a, p, this.live) : Promise.resolve(undefined);
  }

  /** Fixes for the diagnostics touching `range` (recomputed, so the caller need not keep them). */
  codeActions(doc: TextDocumentLike, range: Range): CodeAction[] {
    const a = this.analysis(doc);
    return a ? codeActions(a, diagnose(a, this.env).filter((d) => overlaps(d.range, range))) : [];
  }

  symbols(doc: TextDocumentLike): DocumentSymbol[] {
    const a = this.analysis(doc);
    return a ? documentSymbols(a) : [];
  }

  foldingRanges(doc: TextDocumentLike): { start: number; end: number }[] {
    const a = this.analysis(doc);
    return a ? foldingRanges(a) : [];
  }

  definition(doc: TextDocumentLike, p: Position): Location | undefined {
    const a = this.analysis(doc);
    return a ? definition(a, this.env, p) : undefined;
  }
}
