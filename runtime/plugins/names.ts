// Plugin names: MFDATA's rules ([A-Za-z0-9_-]+, not plugin_*/__*, not base/config), checked before any file is written.
import { PLUGIN_NAME_PATTERN, RESERVED_PLUGIN_NAMES } from '../config/schema';

/** Why a name cannot be a plugin name, or undefined when it can. */
export function pluginNameProblem(name: string): string | undefined {
  if (!PLUGIN_NAME_PATTERN.test(name)) return `'${name}' is not a plugin name: use letters, digits, '_' and '-' only`;
  if (name.startsWith('plugin_') || name.startsWith('__')) return `'${name}' is not a plugin name: it must not start with 'plugin_' or '__'`;
  if ((RESERVED_PLUGIN_NAMES as readonly string[]).includes(name)) return `'${name}' is reserved and cannot be a plugin name`;
  return undefined;
}
