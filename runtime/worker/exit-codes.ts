// Exit codes of a step worker that the supervisor (and operators) can tell apart.

/** The step module could not be loaded (syntax error, missing export, top-level throw). Restarting will not help. */
export const EXIT_STEP_LOAD_FAILED = 78;
/** The worker's configuration is unusable (plugin JSON missing or unreadable, unknown step, bad arguments). */
export const EXIT_CONFIG_ERROR = 79;
