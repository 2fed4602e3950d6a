// Words for what happened to a stage, the same in every view (live, plain, summary, status, inspector).

/** A stage a stopped run left unfinished: it ran when the run was cancelled, timed out or failed elsewhere. */
export const INTERRUPTED = 'interrupted';

/**
 * What a view says of a stage the run stopped under it.
 *
 * @example interruptedBy('cancelled') // 'interrupted (cancelled)'
 */
export function interruptedBy(runStatus: string): string {
  return `${INTERRUPTED} (${runStatus})`;
}
