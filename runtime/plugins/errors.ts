// Errors of the plugin tooling (create, build, install, uninstall, info): one class, with the plugin or file it concerns.

export class PluginToolError extends Error {
  /**
   * @param subject the plugin name, directory or archive the problem is about
   * @param hint what to do about it ('' when the message says it all)
   */
  constructor(readonly subject: string, message: string, readonly hint = '') {
    super(`${subject}: ${message}${hint ? ` (${hint})` : ''}`);
    this.name = 'PluginToolError';
  }
}
