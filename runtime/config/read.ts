// Typed reads of a checked section: the value when it passed validation, else the schema default.
import { findKeySpec, type FileKind } from './schema';
import type { ResolvedSection } from './validate';
import { splitList, toBool } from './values';

export class SectionReader {
  constructor(
    private readonly kind: FileKind,
    private readonly section: string,
    private readonly resolved: ResolvedSection | undefined,
    private readonly stepModule?: string,
  ) {}

  /** True when the file sets the key with a valid value. */
  has(key: string): boolean {
    const v = this.resolved?.values.get(key);
    return v !== undefined && v.valid;
  }

  str(key: string): string {
    const v = this.resolved?.values.get(key);
    if (v && v.valid) return v.value;
    return findKeySpec(this.kind, this.section, key, this.stepModule)?.default ?? '';
  }

  int(key: string, fallback = 0): number {
    const n = Number(this.str(key));
    return this.str(key) === '' || !Number.isFinite(n) ? fallback : Math.trunc(n);
  }

  float(key: string, fallback = 0): number {
    const n = Number(this.str(key));
    return this.str(key) === '' || !Number.isFinite(n) ? fallback : n;
  }

  bool(key: string): boolean {
    return toBool(this.str(key)) ?? false;
  }

  list(key: string, separator = ','): string[] {
    return splitList(this.str(key), separator);
  }
}
