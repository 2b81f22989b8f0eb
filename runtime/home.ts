// The runtime home's layout: every path the runtime reads or writes, derived from one root.
import * as path from 'node:path';

/** Paths of one runtime home (MFDATA's RUNTIME). All absolute. */
export interface RuntimeHome {
  /** The home itself (`<workspace>/.mfdata` by default, `--home`, `MFDATA_HOME`). */
  readonly root: string;
  readonly varDir: string;
  /** MFDATA_DATA_IN_DIR: the root of every inbox, tmp and trash directory. */
  readonly inDir: string;
  /** The drop zone watched by guess_file_type (or switch). */
  readonly incomingDir: string;
  /** Installed plugins (from `.plugin` archives). */
  readonly installedPluginsDir: string;
  readonly logDir: string;
  readonly tmpDir: string;
  /** Generated files: supervisor config, directory_observer.ini, redis.conf, switch rules. */
  readonly configAutoDir: string;
  /** Operator overrides: `config/plugins/<name>.ini`, `config/mflog_override.conf`. */
  readonly configDir: string;
  readonly supervisorSocket: string;
  readonly supervisorLock: string;
  readonly redisSocket: string;
  readonly redisDataDir: string;
  readonly statusFile: string;
}

export function runtimeHome(root: string, inDir?: string): RuntimeHome {
  const abs = path.resolve(root);
  const varDir = path.join(abs, 'var');
  const tmpDir = path.join(abs, 'tmp');
  const resolvedIn = inDir ? path.resolve(abs, inDir) : path.join(varDir, 'in');
  return {
    root: abs,
    varDir,
    inDir: resolvedIn,
    incomingDir: path.join(resolvedIn, 'incoming'),
    installedPluginsDir: path.join(varDir, 'plugins'),
    logDir: path.join(abs, 'log'),
    tmpDir,
    configAutoDir: path.join(tmpDir, 'config_auto'),
    configDir: path.join(abs, 'config'),
    supervisorSocket: path.join(varDir, 'supervisor.sock'),
    supervisorLock: path.join(varDir, 'supervisor.lock'),
    redisSocket: path.join(varDir, 'redis.sock'),
    redisDataDir: path.join(varDir, 'redis'),
    statusFile: path.join(varDir, 'status'),
  };
}

/** Redis list (and inbox directory name) of a step: `step.<plugin>.<step>`. */
export function stepQueue(plugin: string, step: string): string {
  return `step.${plugin}.${step}`;
}

/** `IN/step.<plugin>.<step>/`: the only normal way to hand a file to a step. */
export function stepInbox(home: RuntimeHome, plugin: string, step: string): string {
  return path.join(home.inDir, stepQueue(plugin, step));
}

/** `IN/tmp/<plugin>.<step>/`: where a worker claims files before processing them. */
export function stepTmpDir(home: RuntimeHome, plugin: string, step: string): string {
  return path.join(home.inDir, 'tmp', `${plugin}.${step}`);
}

/** `IN/trash/<plugin>.<step>/`: failure policy `keep`. */
export function stepTrashDir(home: RuntimeHome, plugin: string, step: string): string {
  return path.join(home.inDir, 'trash', `${plugin}.${step}`);
}
