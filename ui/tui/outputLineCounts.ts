import type { RunEvent } from '../../machines/session/runEvents.js';

/**
 * Counts the lines each stage printed in this session. The view keeps only
 * the last OUTPUT_LINES_KEPT of them; the count tells the full output how
 * many earlier lines are only in the stage's output file.
 */
export function createOutputLineCounts() {
  const counts: Record<string, number> = {};
  let copy: Readonly<Record<string, number>> = {};
  return {
    /** Give it every event of the run. */
    count(event: RunEvent): void {
      if (event.type !== 'stage.output') return;
      counts[event.stage] = (counts[event.stage] ?? 0) + 1;
      copy = counts;
    },
    /** Lines printed so far, per stage: a copy taken with the view's snapshot, so both agree. */
    snapshot(): Readonly<Record<string, number>> {
      if (copy === counts) copy = { ...counts };
      return copy;
    },
  };
}

export type OutputLineCounts = ReturnType<typeof createOutputLineCounts>;
