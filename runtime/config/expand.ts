// `{{VAR}}` expansion in configuration values (MFDATA's Jinja expansion, variables only), with error offsets.
import * as os from 'node:os';
import * as path from 'node:path';
import { runtimeHome, stepInbox, stepQueue } from '../home';
import { RUNTIME_VERSION } from '../version';

export interface ExpansionError {
  /** 0-based offset of the `{{` in the value, and the length of the whole `{{…}}`. */
  offset: number;
  length: number;
  /** The variable name, or the raw expression when it is not a plain variable. */
  name: string;
  message: string;
}

export interface Expanded {
  value: string;
  errors: ExpansionError[];
  /**
   * Where a range of the expanded value was written: offsets in literal text move by what the expansions before them
   * added or removed; a range touching an expansion covers its whole `{{…}}` (a diagnostic never points inside one).
   */
  written(offset: number, length: number): { offset: number; length: number };
}

/** One replaced `{{…}}`: its range in the expanded value and in the written one. */
interface Substitution {
  from: number;
  to: number;
  writtenFrom: number;
  writtenTo: number;
}

function writtenRange(subs: readonly Substitution[], offset: number, length: number): { offset: number; length: number } {
  const point = (p: number, side: 'start' | 'end'): number => {
    let shift = 0;
    for (const s of subs) {
      if (side === 'start' ? p >= s.from && p < s.to : p > s.from && p <= s.to) return side === 'start' ? s.writtenFrom : s.writtenTo;
      if (s.to <= p) shift += (s.writtenTo - s.writtenFrom) - (s.to - s.from);
    }
    return p + shift;
  };
  const start = point(offset, 'start');
  const end = point(offset + length, length === 0 ? 'start' : 'end');
  return { offset: start, length: Math.max(end - start, length === 0 ? 0 : 1) };
}

const EXPRESSION = /\{\{(.*?)\}\}/g;
const VARIABLE = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/;

/** Replaces every `{{ NAME }}` with its value; an unknown name or a non-variable expression is an error. */
export function expandValue(value: string, vars: Readonly<Record<string, string | undefined>>): Expanded {
  const errors: ExpansionError[] = [];
  const subs: Substitution[] = [];
  let grown = 0;
  const out = value.replace(EXPRESSION, (whole: string, inner: string, offset: number) => {
    const m = VARIABLE.exec(inner);
    if (!m) {
      errors.push({ offset, length: whole.length, name: inner.trim(), message: `unsupported template expression '${whole}'` });
      return whole;
    }
    const found = vars[m[1]];
    if (found === undefined) {
      errors.push({ offset, length: whole.length, name: m[1], message: `unknown variable '${m[1]}' in '${whole}'` });
      return whole;
    }
    subs.push({ from: offset + grown, to: offset + grown + found.length, writtenFrom: offset, writtenTo: offset + whole.length });
    grown += found.length - whole.length;
    return found;
  });
  const rest = out.indexOf('{{');
  if (rest !== -1 && errors.length === 0 && !out.slice(rest).includes('}}')) {
    errors.push({ offset: value.indexOf('{{'), length: value.length - value.indexOf('{{'), name: '', message: "'{{' without a closing '}}'" });
  }
  return { value: out, errors, written: (offset, length) => writtenRange(subs, offset, length) };
}

export interface ExpansionContext {
  env: Readonly<Record<string, string | undefined>>;
  home: string;
  plugin?: { name: string; dir: string };
  /** Set while expanding a `[step_<name>]` section. */
  step?: string;
}

/** The variables a value may use: the environment plus the runtime's own (which win over the environment). */
export function expansionVariables(ctx: ExpansionContext): Record<string, string | undefined> {
  const home = runtimeHome(ctx.home);
  const cores = String(os.availableParallelism());
  const vars: Record<string, string | undefined> = {
    ...ctx.env,
    MFDATA_HOME: home.root,
    MFMODULE_RUNTIME_HOME: home.root,
    MFMODULE_VERSION: RUNTIME_VERSION,
    MFDATA_DATA_IN_DIR: home.inDir,
    MFHARDWARE_NUMBER_OF_CPU_CORES: cores,
    MFHARDWARE_NUMBER_OF_CPU_CORES_MULTIPLIED_BY_2: String(Number(cores) * 2),
  };
  if (ctx.plugin) {
    vars.MFDATA_CURRENT_PLUGIN_NAME = ctx.plugin.name;
    vars.MFDATA_CURRENT_PLUGIN_DIR = path.resolve(ctx.plugin.dir);
    vars.MFDATA_CURRENT_PLUGIN_LABEL = `plugin_${ctx.plugin.name}@mfdata`;
    if (ctx.step) {
      vars.MFDATA_CURRENT_STEP_NAME = ctx.step;
      vars.MFDATA_CURRENT_STEP_QUEUE = stepQueue(ctx.plugin.name, ctx.step);
      vars.MFDATA_CURRENT_STEP_DIR = stepInbox(home, ctx.plugin.name, ctx.step);
    }
  }
  return vars;
}
