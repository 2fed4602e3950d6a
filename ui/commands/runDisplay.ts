/** How a run is shown while it runs. More reporters (`--json`, `--quiet`) are more kinds here. */
export type RunDisplay = 'live' | 'lines';

/**
 * True when the environment says it is a CI job: CI set to anything but
 * '0', 'false' or '' (CI=false is how a person turns the notion off).
 *
 * @example isCi({ CI: 'true' }) // true
 * @example isCi({ CI: 'false' }) // false
 */
export function isCi(env: Readonly<Record<string, string | undefined>>): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

/**
 * The live terminal view when stdout is a terminal, not CI, and not turned off
 * (`--no-ui`); else one plain line per event.
 *
 * @example chooseRunDisplay({ ui: true, stdoutIsTty: true, env: { CI: 'false' } }) // 'live'
 */
export function chooseRunDisplay(options: { ui: boolean; stdoutIsTty: boolean; env: Readonly<Record<string, string | undefined>> }): RunDisplay {
  return options.ui && options.stdoutIsTty && !isCi(options.env) ? 'live' : 'lines';
}
