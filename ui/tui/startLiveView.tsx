import { createRequire } from 'node:module';
import type { ViewStore } from '../run-view/viewStore.js';
import type { OutputLineCounts } from './outputLineCounts.js';

/** What the live view shows besides the run's own view. */
export interface LiveViewOptions {
  /** Lines each stage printed in all, counted from the same events as the store. */
  readonly outputCounts: OutputLineCounts;
  /** The inspector's address (`--inspect`), for the header. */
  readonly inspectorUrl?: string | undefined;
  /** Where a stage's whole output is kept, as the user should read it. */
  readonly outputFile?: ((stage: string) => string) | undefined;
  /** The environment the run was started with (its CI variable, see below). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Shows a run live in the terminal (Ink), inline below what the terminal
 * showed before (see screenRows.liveRows for why not the alternate screen).
 * Loaded only when the live view was chosen, so `--no-ui`, CI and `validate`
 * never load React.
 *
 * @returns `close()` to leave the screen: it draws the final frame (no
 *   output pane, no key hint) and leaves it in the scrollback, after which
 *   the caller prints the summary as plain text.
 */
export async function startLiveView(store: ViewStore, actions: { cancel(): void; quitNow(): void }, options: LiveViewOptions) {
  const { render, LiveRun, createElement } = await loadInk(options.env);
  const cancel = () => {
    store.cancelling();
    actions.cancel();
  };
  // No JSX in this module: it would load react/jsx-runtime (and React) before loadInk chose the build.
  const tree = (final: boolean) => createElement(LiveRun, {
    store, outputCounts: options.outputCounts, cancel, quitNow: actions.quitNow,
    inspectorUrl: options.inspectorUrl, outputFile: options.outputFile, final,
  });
  const instance = render(tree(false), { exitOnCtrlC: false, patchConsole: false });
  return {
    async close(): Promise<void> {
      instance.rerender(tree(true));
      instance.unmount();
      await instance.waitUntilExit();
    },
  };
}

/**
 * Ink decides once, as it loads, whether it runs in CI (is-in-ci: CI set to
 * anything but '0' or 'false', an empty CI too) and then prints only its last
 * frame. teambot has already decided (runDisplay.ts: an empty CI is not CI),
 * so an empty CI is hidden from Ink while it loads.
 */
async function loadInk(env: Readonly<Record<string, string | undefined>>) {
  loadReactForProduction();
  const hidden = env.CI === '' && process.env.CI === '' ? ['CI'] : [];
  for (const name of hidden) delete process.env[name];
  try {
    const [{ render }, { LiveRun }, { createElement }] = await Promise.all([import('ink'), import('./components/LiveRun.js'), import('react')]);
    return { render, LiveRun, createElement };
  } finally {
    for (const name of hidden) process.env[name] = '';
  }
}

/**
 * React, its JSX runtime, the reconciler Ink drives and the scheduler each pick
 * their development or production build from NODE_ENV the first time they are
 * required (the development build checks every render and costs several times
 * the CPU). Unless the user set NODE_ENV, they are required here, synchronously,
 * with NODE_ENV=production, which is removed again before anything else runs:
 * the run is already under way, and agents and commands it starts inherit the
 * user's environment unchanged. The later `import`s get these same modules
 * (Node's ESM loader reuses require's cache for CommonJS packages).
 */
export function loadReactForProduction(): void {
  if (process.env.NODE_ENV !== undefined) return;
  const require = createRequire(import.meta.url);
  process.env.NODE_ENV = 'production';
  try {
    require('react');
    require('react/jsx-runtime');
    // The reconciler and scheduler the bundled Ink imports: resolved from here, as its imports are.
    require('react-reconciler');
    require('react-reconciler/constants.js');
    require('scheduler');
  } finally {
    delete process.env.NODE_ENV;
  }
}
