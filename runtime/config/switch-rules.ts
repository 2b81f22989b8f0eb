// Switch rule sections of a plugin config.ini: `[switch_rules[@<switch>]:<type>[:<tag>]]` names and rule lines.
import { SWITCH_RULE_TYPES, SWITCH_RULE_TYPES_WITHOUT_TAG } from './schema';
import { suggest } from './suggest';
import type { ValueIssue } from './values';
import type { SwitchRuleType } from './model';

export interface SwitchSectionName {
  switchName: string;
  type: SwitchRuleType;
  tag: string;
}

const SECTION = /^switch_rules(?:@([^:]*))?(?::([^:]*))?(?::(.*))?$/;

/** Parses a switch rule section name; an issue explains what is wrong with it. */
export function parseSwitchSectionName(name: string): { parsed?: SwitchSectionName; issue?: ValueIssue } {
  const m = SECTION.exec(name);
  if (!m) return { issue: { code: 'bad-switch-section', message: `invalid switch rule section [${name}]`, hint: 'write [switch_rules:<type>:<tag>] or [switch_rules@<switch>:<type>:<tag>]' } };
  const [, at, type, tag] = m;
  if (at !== undefined && !/^[A-Za-z0-9_-]+$/.test(at)) {
    return { issue: { code: 'bad-switch-name', message: `invalid switch name '${at}' in [${name}]`, hint: 'a switch name is a plugin name: letters, digits, _ and -' } };
  }
  if (type === undefined || type === '') {
    return { issue: { code: 'missing-switch-type', message: `switch rule section [${name}] has no rule type`, hint: `write [switch_rules:<type>:<tag>] with a type among ${SWITCH_RULE_TYPES.join(', ')}` } };
  }
  if (!(SWITCH_RULE_TYPES as readonly string[]).includes(type)) {
    const close = suggest(type, SWITCH_RULE_TYPES);
    const hint = type === 'python'
      ? 'python rules do not exist here: use function with a pattern module.ts:functionName'
      : close ? `did you mean '${close}'?` : `rule types: ${SWITCH_RULE_TYPES.join(', ')}`;
    return { issue: { code: 'unknown-switch-type', message: `unknown switch rule type '${type}'`, hint } };
  }
  const withoutTag = (SWITCH_RULE_TYPES_WITHOUT_TAG as readonly string[]).includes(type);
  if (!withoutTag && (tag === undefined || tag.trim() === '')) {
    return { issue: { code: 'missing-switch-tag', message: `switch rule type '${type}' needs a tag name`, hint: `write [switch_rules:${type}:latest.guess_file_type.main.system_magic] for example` } };
  }
  if (withoutTag && tag !== undefined) {
    return { issue: { code: 'unexpected-switch-tag', message: `switch rule type '${type}' takes no tag, found '${tag}'`, hint: `write [switch_rules:${type}]` } };
  }
  return { parsed: { switchName: at ?? 'switch', type: type as SwitchRuleType, tag: tag ?? '' } };
}

/** A rule key as written (`=` and `#` cannot appear in an INI key) back to its pattern. */
export function unescapePattern(key: string): string {
  return key.split('@@@@@@').join('=').split('~~~~~~').join('#');
}
