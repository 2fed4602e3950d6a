/** Process exit codes, as documented in the README and DESIGN.md. */
export const ExitCode = {
  /** The command did what was asked; a run completed. */
  ok: 0,
  /** A run ended unsuccessfully (error, review_failed, acceptance_test_failed, timeout). */
  unsuccessful: 1,
  /** Bad usage or invalid input; nothing was changed. */
  badInput: 2,
  /** Cancelled by the user (Ctrl+C). */
  cancelled: 130,
} as const;
