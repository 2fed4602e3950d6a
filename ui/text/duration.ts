// How long things took, in the same words everywhere: the live view, the plain reporter, the
// end-of-run summary, `teambot status` and the inspector page.

/**
 * A finished duration: tenths below a minute, then minutes and seconds, then hours and minutes.
 *
 * @example formatDuration(2_500) // '2.5 s'
 * @example formatDuration(64_000) // '1 min 04 s'
 * @example formatDuration(3_720_000) // '1 h 02 min'
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return unknownDuration(ms);
  const tenths = Math.round(Math.max(0, ms) / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`;
  return formatMinutesAndUp(ms);
}

/**
 * A running clock: whole seconds (tenths would flicker on every frame), then as formatDuration.
 *
 * @example formatElapsed(12_345) // '12 s'
 */
export function formatElapsed(ms: number): string {
  if (!Number.isFinite(ms)) return unknownDuration(ms);
  const seconds = Math.floor(Math.max(0, ms) / 1000);
  if (seconds < 60) return `${seconds} s`;
  return formatMinutesAndUp(seconds * 1000);
}

function formatMinutesAndUp(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/**
 * What a duration that is not one reads as: a state file edited by hand (or a bug) can hold
 * NaN or Infinity, and "NaN h NaN min" would look like teambot's own nonsense.
 */
function unknownDuration(ms: number): string {
  return Number.isNaN(ms) ? 'unknown' : 'unknown (infinite)';
}
