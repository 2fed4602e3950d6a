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
  const { render, LiveRun } = await loadInk(options.env);
  const cancel = () => {
    store.cancelling();
    actions.cancel();
  };
  const tree = (final: boolean) => (
    <LiveRun
      store={store} outputCounts={options.outputCounts} cancel={cancel} quitNow={actions.quitNow}
      inspectorUrl={options.inspectorUrl} outputFile={options.outputFile} final={final}
    />
  );
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
  const hidden = env.CI === '' && process.env.CI === '' ? ['CI'] : [];
  for (const name of hidden) delete process.env[name];
  try {
    const [{ render }, { LiveRun }] = await Promise.all([import('ink'), import('./components/LiveRun.js')]);
    return { render, LiveRun };
  } finally {
    for (const name of hidden) process.env[name] = '';
  }
}
