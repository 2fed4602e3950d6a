import { useInput } from 'ink';
import { useRef, useState } from 'react';
import type { RunView } from '../../run-view/runViewModel.js';

/**
 * The live view's keys: Tab / ↓ and Shift+Tab / ↑ move the focus between
 * stages, Enter shows the focused stage's whole output, q or Ctrl+C cancels
 * (the run saves its state), a second Ctrl+C quits at once.
 */
export function useRunKeys(view: RunView, actions: { cancel(): void; quitNow(): void }) {
  const [focusedStage, setFocusedStage] = useState<string | null>(null);
  const [expanded, setExpanded] = useState(false);
  const cancelled = useRef(false);
  useInput((input, key) => {
    if (key.ctrl && input === 'c' && cancelled.current) return actions.quitNow();
    if (input === 'q' || (key.ctrl && input === 'c')) {
      if (!cancelled.current) {
        cancelled.current = true;
        actions.cancel();
      }
      return;
    }
    if (key.return) return setExpanded((value) => !value);
    const ids = view.stages.map((stage) => stage.id);
    const step = key.tab && !key.shift || key.downArrow ? 1 : (key.tab && key.shift) || key.upArrow ? -1 : 0;
    if (step === 0) return;
    setFocusedStage((current) => {
      const index = current === null ? (step > 0 ? -1 : 0) : ids.indexOf(current);
      return ids[(index + step + ids.length) % ids.length] ?? null;
    });
  });
  return { focusedStage, expanded };
}
