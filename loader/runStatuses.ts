// How a run ends. Names and meanings are TeamBot's (DESIGN.md); the state file, the machine and
// every view take them from here.

/** A run's status: `in_progress`, then one of the final ones. */
export const RUN_STATUSES = ['in_progress', 'complete', 'cancelled', 'timeout', 'error', 'review_failed', 'acceptance_test_failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** How a run can end. */
export const FINAL_RUN_STATUSES = RUN_STATUSES.filter((status): status is Exclude<RunStatus, 'in_progress'> => status !== 'in_progress');

/** The ends that mean something failed (not a cancel or the time limit). */
export const FAILED_RUN_STATUSES: ReadonlySet<string> = new Set<RunStatus>(['error', 'review_failed', 'acceptance_test_failed']);
