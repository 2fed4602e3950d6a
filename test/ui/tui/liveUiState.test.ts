import { describe, expect, it } from 'vitest';
import type { LiveKey } from '../../../ui/tui/liveKeys.js';
import { INITIAL_LIVE_UI, reduceLiveKey, type LiveKeyContext, type LiveUiState } from '../../../ui/tui/liveUiState.js';
import { outputWindow } from '../../../ui/tui/outputWindow.js';

const lines = Array.from({ length: 120 }, (_, index) => `line ${index + 1}`);
const context: LiveKeyContext = { stageIds: ['SETUP', 'SPEC', 'SPEC_REVIEW', 'PLAN'], followedStage: 'SPEC_REVIEW', lines, firstLine: 0, pageRows: 20 };

const key = (name: string): LiveKey => (name.length === 1 ? { name: 'char', char: name } : { name } as LiveKey);
/** Applies keys in turn: names ('tab', 'pageUp') or single characters. */
function press(keys: readonly string[], from: LiveUiState = INITIAL_LIVE_UI, on: LiveKeyContext = context) {
  const effects: string[] = [];
  let state = from;
  for (const name of keys) {
    const result = reduceLiveKey(state, key(name), on);
    state = result.state;
    effects.push(...result.effects);
  }
  return { state, effects };
}
const firstShown = (state: LiveUiState, on: LiveKeyContext = context) => outputWindow(state, on).rows[0]?.text;

describe('reduceLiveKey: focus', () => {
  it('moves the first Tab from the followed stage to the next one, not to the first stage', () => {
    expect(press(['tab']).state.focusedStage).toBe('PLAN');
    expect(press(['backtab']).state.focusedStage).toBe('SPEC');
    expect(press(['tab'], INITIAL_LIVE_UI, { ...context, followedStage: null }).state.focusedStage).toBe('SETUP');
  });

  it('counts two Tabs as two moves, wrapping around', () => {
    expect(press(['tab', 'tab']).state.focusedStage).toBe('SETUP');
  });

  it('moves the focus with ↑/↓ in the stage list, and changes stage with Tab in the full output', () => {
    expect(press(['up']).state.focusedStage).toBe('SPEC');
    const full = press(['return', 'tab']).state;
    expect(full.expanded).toBe(true);
    expect(full.focusedStage).toBe('PLAN');
    expect(full.scrollTop).toBeNull();
  });
});

describe('reduceLiveKey: scrolling the full output', () => {
  it('follows the end until scrolled', () => {
    const { state } = press(['return']);
    expect(state.scrollTop).toBeNull();
    expect(firstShown(state)).toBe('line 101');
  });

  it('scrolls by line with ↑/↓, by page with PgUp/PgDn, to the ends with Home/End', () => {
    expect(firstShown(press(['return', 'up']).state)).toBe('line 100');
    expect(firstShown(press(['return', 'pageUp']).state)).toBe('line 81');
    expect(firstShown(press(['return', 'home']).state)).toBe('line 1');
    expect(firstShown(press(['return', 'home', 'down', 'pageDown']).state)).toBe('line 22');
    expect(press(['return', 'home', 'end']).state.scrollTop).toBeNull();
    // Down to the bottom follows the end again.
    expect(press(['return', 'up', 'down']).state.scrollTop).toBeNull();
  });

  it('opens the full output on PgUp or Home from the stage list', () => {
    expect(press(['pageUp']).state.expanded).toBe(true);
    expect(firstShown(press(['home']).state)).toBe('line 1');
  });

  it('stays within the kept lines, numbering them from the first line printed', () => {
    const cut = { ...context, firstLine: 380 };
    const top = press(['return', 'home'], INITIAL_LIVE_UI, cut).state;
    expect(top.scrollTop).toBe(380);
    const window = outputWindow(top, cut);
    expect(window.rows[0]).toMatchObject({ number: 381, text: 'line 1' });
    expect(window.dropped).toBe(380);
    expect(press(['up'], top, cut).state.scrollTop).toBe(380);
  });
});

describe('reduceLiveKey: search', () => {
  it('types a query, jumps to the next match on Enter, then n / N', () => {
    const found = press(['home', '/', 'l', 'i', 'n', 'e', ' ', '7', 'return']).state;
    expect(found.search).toMatchObject({ query: 'line 7', editing: false, matchLine: 6 });
    expect(firstShown(found)).toBe('line 7');
    expect(outputWindow(found, context).rows[0]?.current).toBe(true);
    expect(firstShown(press(['n'], found).state)).toBe('line 70');
    expect(firstShown(press(['n', 'N'], found).state)).toBe('line 7');
    // Backwards from the first match wraps to the last.
    expect(press(['N'], found).state.search?.matchLine).toBe(78);
  });

  it('keeps keys in the query while typing (q does not cancel) and Backspace edits it', () => {
    const { state, effects } = press(['/', 'q', 'x', 'backspace']);
    expect(effects).toEqual([]);
    expect(state.search).toMatchObject({ query: 'q', editing: true });
  });

  it('says when nothing matches, and Esc cancels the search', () => {
    const missing = press(['/', 'z', 'z', 'return']).state;
    expect(missing.search?.notFound).toBe(true);
    expect(press(['escape'], missing).state.search).toBeNull();
    expect(press(['/', 'a', 'escape']).state.search).toBeNull();
  });
});

describe('reduceLiveKey: help and cancel', () => {
  it('opens the help with ? and closes it with any key', () => {
    const open = press(['?']).state;
    expect(open.help).toBe(true);
    expect(press(['tab'], open).state).toMatchObject({ help: false, focusedStage: null });
  });

  it('cancels once with q or Ctrl+C; a second Ctrl+C quits at once', () => {
    expect(press(['q']).effects).toEqual(['cancel']);
    expect(press(['q', 'q']).effects).toEqual(['cancel']);
    expect(press(['ctrlC', 'ctrlC']).effects).toEqual(['cancel', 'quitNow']);
    expect(press(['?', 'q']).effects).toEqual(['cancel']);
    expect(press(['/', 'ctrlC']).effects).toEqual(['cancel']);
  });
});

describe('outputWindow', () => {
  it('shows a short output without filler, and says where a cut one is', () => {
    const short = outputWindow(INITIAL_LIVE_UI, { lines: ['a', 'b'], firstLine: 0, pageRows: 10 });
    expect(short.rows.map((row) => row.text)).toEqual(['a', 'b']);
    expect(short).toMatchObject({ total: 2, dropped: 0, atEnd: true });
  });
});
