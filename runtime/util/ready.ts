// Start-up readiness of a supervised process: one marker line on stdout once it is up, which the supervisor reads
// (and keeps out of the log) so that `mfdata start` returns when every process is ready instead of after a fixed wait.

/** Set by the supervisor in the environment of the processes it spawns. */
export const READY_ENV = 'MFDATA_NOTIFY_READY';
/** The line a ready process writes on its stdout. */
export const READY_LINE = '@mfdata:ready';

/**
 * A process that does not announce (redis, extra daemons) counts as ready once it has lived this long without
 * exiting: what `mfdata start` waits for and what `status` reports for it.
 */
export const UNANNOUNCED_READY_MS = 700;

/** Emitted on `process` at readiness, supervised or not (the worker's boot makes its code cache then). */
export const READY_EVENT = 'mfdata:ready';

/** Announces readiness when started by a supervisor (the line; the event is always emitted). */
export function announceReady(env: NodeJS.ProcessEnv = process.env): void {
  (process as NodeJS.EventEmitter).emit(READY_EVENT);
  if (env[READY_ENV] === '1') process.stdout.write(`${READY_LINE}\n`);
}
