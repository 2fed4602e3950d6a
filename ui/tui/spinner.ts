/** Braille spinner frames; one column wide each, readable without colour. */
export const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;

/** Milliseconds each spinner frame shows. */
export const SPINNER_INTERVAL_MS = 250;

/**
 * The spinner frame to draw at time `now`: derived from the clock, so
 * components hold no timers and every running row turns in step.
 *
 * @example spinnerFrame(500) // '⠹'
 */
export function spinnerFrame(now: number): string {
  const index = Math.floor(now / SPINNER_INTERVAL_MS) % SPINNER_FRAMES.length;
  return SPINNER_FRAMES[index] ?? SPINNER_FRAMES[0];
}
