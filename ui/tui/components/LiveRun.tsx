import type { ViewStore } from '../../run-view/viewStore.js';
import { useFrame } from '../hooks/use-frame.js';
import { useRunKeys } from '../hooks/use-run-keys.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { liveScreenContext } from '../liveScreen.js';
import type { LiveUiState } from '../liveUiState.js';
import type { OutputLineCounts } from '../outputLineCounts.js';
import { RunScreen } from './RunScreen.js';

export interface LiveRunProps {
  readonly store: ViewStore;
  /** Lines each stage printed in all (the view keeps only the last ones). */
  readonly outputCounts: OutputLineCounts;
  /** Asks the run to stop gracefully (status cancelled). */
  readonly cancel: () => void;
  /** Leaves at once (second Ctrl+C). */
  readonly quitNow: () => void;
  /** The inspector's address (`--inspect`), for the header. */
  readonly inspectorUrl?: string | undefined;
  /** Where a stage's whole output is kept, as the user should read it. */
  readonly outputFile?: ((stage: string) => string) | undefined;
  /** Draw the run's last frame for the scrollback (see RunScreen). */
  readonly final?: boolean;
}

/** The root of the live view: connects the store, the keys and the terminal size to RunScreen. */
export function LiveRun({ store, outputCounts, cancel, quitNow, inspectorUrl, outputFile, final = false }: LiveRunProps) {
  const { view, printed, now } = useFrame(store, outputCounts, final);
  const { width, height } = useTerminalSize();
  const contextFor = (ui: Pick<LiveUiState, 'focusedStage'>) => liveScreenContext(view, ui, printed, height, inspectorUrl);
  const ui = useRunKeys(contextFor, { cancel, quitNow });
  return (
    <RunScreen
      view={view} now={now} ui={ui} context={contextFor(ui)} width={width} height={height}
      inspectorUrl={inspectorUrl} outputFile={outputFile} final={final}
    />
  );
}
