// Plugin names as the plugin tools (create, build, install) check them, before any file is written: the rules of
// config check (runtime/config/values.ts pluginNameIssue), with a hint for a name given on the command line.
import { PLUGIN_NAME_MAX_LENGTH } from '../config/schema';
import { pluginNameIssue } from '../config/values';

/** A name as messages show it: a name too long to be a plugin name is cut (its first 20 characters, then …). */
export function shownPluginName(name: string): string {
  return name.length > PLUGIN_NAME_MAX_LENGTH ? `${name.slice(0, 20)}…` : name;
}

/** Why a name cannot be a plugin name (the rule it breaks; callers say what to do), or undefined when it can. */
export function pluginNameProblem(name: string): string | undefined {
  return pluginNameIssue(name)?.message;
}
