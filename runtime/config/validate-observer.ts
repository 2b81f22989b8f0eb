// directory_observer.ini rules across sections: [common] inheritance, mandatory keys, identical Redis settings.
import type { ConfigProblem } from './errors';
import type { Span } from './ini-parser';
import { findKeySpec } from './schema';
import type { ResolvedSection, ResolvedValue } from './validate';
import { toBool } from './values';

/** Keys every watched section must end up with (own or inherited from [common]). */
const MANDATORY = ['directory', 'queue'] as const;
/** Keys the observer reads once for all sections: MFDATA exits when they differ. */
const SHARED = ['redis_server', 'redis_port', 'redis_unix_socket', 'monitor_inactivitytimeout'] as const;

function problem(file: string, span: Span, code: string, message: string, hint: string, extra: Partial<ConfigProblem>): ConfigProblem {
  return { file, line: span.line, column: span.column, endColumn: span.endColumn, severity: 'error', code, message, hint, ...extra };
}

/** A section's value of a key, its own or inherited from [common]. */
export function observerValue(section: ResolvedSection, common: ResolvedSection | undefined, key: string): ResolvedValue | undefined {
  return section.values.get(key) ?? common?.values.get(key);
}

export function checkObserverSections(file: string, sections: ResolvedSection[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const common = sections.find((s) => s.name === 'common');
  // The observer skips a section whose active (own or inherited) is not true: nothing of it is read.
  const watched = sections.filter((s) => s.name !== 'common' && toBool(observerValue(s, common, 'active')?.value ?? '') === true);
  const firstSeen = new Map<string, { section: string; value: string }>();
  for (const s of watched) {
    for (const key of MANDATORY) {
      if (!observerValue(s, common, key)) {
        problems.push(problem(file, s.section.nameSpan, 'missing-key', `missing mandatory key '${key}' in [${s.name}]`,
          `add '${key} = …' to [${s.name}] or to [common]`, { key, section: s.name }));
      }
    }
    const socket = observerValue(s, common, 'redis_unix_socket')?.value ?? '';
    if ((socket === '' || socket === 'null') && !observerValue(s, common, 'redis_server')) {
      problems.push(problem(file, s.section.nameSpan, 'missing-key', `[${s.name}] has neither redis_unix_socket nor redis_server`,
        'set redis_unix_socket (or redis_server and redis_port) in [common]', { key: 'redis_server', section: s.name }));
    }
    for (const key of SHARED) {
      // Unset means the default the observer uses (redis_port 6379 = an explicit 6379).
      const value = observerValue(s, common, key)?.value || (findKeySpec('observer', s.name, key)?.default ?? '');
      const first = firstSeen.get(key);
      if (!first) {
        firstSeen.set(key, { section: s.name, value });
      } else if (first.value !== value) {
        const span = s.values.get(key)?.entry.valueSpan ?? s.section.nameSpan;
        problems.push(problem(file, span, 'redis-mismatch',
          `${key} differs between sections [${first.section}] (${first.value || 'unset'}) and [${s.name}] (${value || 'unset'})`,
          'the observer uses one Redis connection: set it once in [common]', { key, section: s.name }));
      }
    }
  }
  return problems;
}
