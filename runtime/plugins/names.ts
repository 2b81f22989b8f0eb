// Plugin names: MFDATA's rules ([A-Za-z0-9_-]+, not plugin_*/__*, not base/config) and at most 64 characters, checked before any file is written.
import { PLUGIN_NAME_MAX_LENGTH, PLUGIN_NAME_PATTERN, RESERVED_PLUGIN_NAMES } from '../config/schema';

/** A name as messages show it: a name too long to be a plugin name is cut (its first 20 characters, then …). */
export function shownPluginName(name: string): string {
  return name.length > PLUGIN_NAME_MAX_LENGTH ? `${name.slice(0, 20)}…` : name;
}

/** Why a name cannot be a plugin name, or undefined when it can. */
export function pluginNameProblem(name: string): string | undefined {
  if (name.length > PLUGIN_NAME_MAX_LENGTH) return `a plugin name has at most ${PLUGIN_NAME_MAX_LENGTH} characters, this one ${name.length}: choose a shorter one`;
  if (!PLUGIN_NAME_PATTERN.test(name)) return `'${name}' is not a plugin name: use letters, digits, '_' and '-' only`;
  if (name.startsWith('plugin_') || name.startsWith('__')) return `'${name}' is not a plugin name: it must not start with 'plugin_' or '__'`;
  if ((RESERVED_PLUGIN_NAMES as readonly string[]).includes(name)) return `'${name}' is reserved and cannot be a plugin name`;
  return undefined;
}
