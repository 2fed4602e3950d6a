import { RunScreen } from './RunScreen.js';
import { useFrame } from '../hooks/use-frame.js';
import { useRunKeys } from '../hooks/use-run-keys.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import type { ViewStore } from '../../run-view/viewStore.js';

export interface LiveRunProps {
  readonly store: ViewStore;
  /** Asks the run to stop gracefully (status cancelled). */
  readonly cancel: () => void;
  /** Leaves at once (second Ctrl+C). */
  readonly quitNow: () => void;
}

/** The root of the live view: connects the store, the keys and the terminal size to RunScreen. */
export function LiveRun({ store, cancel, quitNow }: LiveRunProps) {
  const { view, now } = useFrame(store);
  const { width, height } = useTerminalSize();
  const { focusedStage, expanded } = useRunKeys(view, { cancel, quitNow });
  return <RunScreen view={view} now={now} focusedStage={focusedStage} expanded={expanded} width={width} height={height} />;
}
