import { render } from 'ink';
import type { ViewStore } from '../run-view/viewStore.js';
import { LiveRun } from './components/LiveRun.js';

/**
 * Shows a run live in the terminal (Ink). Loaded only when stdout is a
 * terminal, so `--no-ui`, CI and `validate` never load React.
 *
 * @returns `close()` to leave the screen (after which the caller prints the
 *   summary as plain text).
 */
export function startLiveView(store: ViewStore, actions: { cancel(): void; quitNow(): void }) {
  const cancel = () => {
    store.cancelling();
    actions.cancel();
  };
  const instance = render(<LiveRun store={store} cancel={cancel} quitNow={actions.quitNow} />, {
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return {
    async close(): Promise<void> {
      // Let the last frame (the final statuses) be drawn before leaving.
      await new Promise((resolve) => setTimeout(resolve, 60));
      instance.unmount();
      await instance.waitUntilExit();
    },
  };
}
