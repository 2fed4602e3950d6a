// Kept free of dependencies: the CLI's flag checks read it as well as the schemas.

/**
 * The longest time limit or timeout teambot accepts: ten years. Any real run fits far inside it
 * (timers of any length work, see machines/time/longTimeout.ts); a value past it is a typo.
 */
export const MAX_DURATION_HOURS = 10 * 365 * 24;
export const MAX_DURATION_MINUTES = MAX_DURATION_HOURS * 60;

/** A run's total time limit when --max-hours is not given. */
export const DEFAULT_MAX_HOURS = 8;

/**
 * The shortest total time limit, in seconds: anything shorter stops a run before its first
 * stage can start, and would be shown (and saved) as a limit of "0 s".
 */
export const MIN_MAX_SECONDS = 1;

/** The longest duration in milliseconds (a simulated agent call): the same ten years. */
export const MAX_DURATION_MS = MAX_DURATION_HOURS * 3600 * 1000;
