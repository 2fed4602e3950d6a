/** Braille spinner frames; one column wide each, readable without colour. */
export const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;

/**
 * Milliseconds each spinner frame shows: two turns a second say the stage is alive, and each
 * turn costs Ink a whole frame (an idle live view uses about 0.04 CPU-seconds a second; 0.13 at
 * four turns).
 */
export const SPINNER_INTERVAL_MS = 500;

/**
 * The spinner frame to draw at time `now`: derived from the clock, so
 * components hold no timers and every running row turns in step.
 *
 * @example spinnerFrame(1000) // '⠹'
 */
export function spinnerFrame(now: number): string {
  const index = Math.floor(now / SPINNER_INTERVAL_MS) % SPINNER_FRAMES.length;
  return SPINNER_FRAMES[index] ?? SPINNER_FRAMES[0];
}
