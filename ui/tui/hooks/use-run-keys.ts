import { useInput } from 'ink';
import { useRef, useState } from 'react';
import { liveKeys } from '../liveKeys.js';
import { INITIAL_LIVE_UI, reduceLiveKey, type LiveKeyContext, type LiveUiState } from '../liveUiState.js';

/**
 * The live view's keys (see reduceLiveKey and KEY_HELP): each key of an input
 * chunk is applied in turn, against the screen as that state draws it
 * (`contextFor`), so two Tabs typed together move twice. q or Ctrl+C cancels
 * (the run saves its state), a second Ctrl+C quits at once.
 */
export function useRunKeys(contextFor: (ui: LiveUiState) => LiveKeyContext, actions: { cancel(): void; quitNow(): void }): LiveUiState {
  const [ui, setUi] = useState(INITIAL_LIVE_UI);
  // Several input events can come before React renders again: the latest state lives here.
  const latest = useRef(INITIAL_LIVE_UI);
  const contextRef = useRef(contextFor);
  contextRef.current = contextFor;
  useInput((input, key) => {
    for (const liveKey of liveKeys(input, key)) {
      const { state, effects } = reduceLiveKey(latest.current, liveKey, contextRef.current(latest.current));
      latest.current = state;
      for (const effect of effects) {
        if (effect === 'quitNow') actions.quitNow();
        else actions.cancel();
      }
    }
    setUi(latest.current);
  });
  return ui;
}
