/** The longest delay Node's timers hold (about 24.8 days); a longer one fires at once, with a TimeoutOverflowWarning. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls `onTimeout` once `ms` have passed, however long that is: a delay
 * beyond MAX_TIMER_MS is waited in several timers, one after another, so an
 * 8-week time limit or a 50-day stage timeout means what it says.
 *
 * @example const cancel = longTimeout(60 * 24 * 3600 * 1000, () => stop('timeout'));
 * @returns a function that cancels it
 */
export function longTimeout(ms: number, onTimeout: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const wait = (remaining: number) => {
    timer = setTimeout(() => {
      if (remaining > MAX_TIMER_MS) wait(remaining - MAX_TIMER_MS);
      else onTimeout();
    }, Math.min(remaining, MAX_TIMER_MS));
  };
  wait(Math.max(0, ms));
  return () => clearTimeout(timer);
}
