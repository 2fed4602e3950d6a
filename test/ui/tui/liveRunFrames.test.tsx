import { cleanup, render } from 'ink-testing-library';
import { act } from 'react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunView, StageView } from '../../../ui/run-view/runViewModel.js';
import { createViewStore } from '../../../ui/run-view/viewStore.js';
import { LiveRun } from '../../../ui/tui/components/LiveRun.js';
import { createOutputLineCounts } from '../../../ui/tui/outputLineCounts.js';
import { SPINNER_INTERVAL_MS } from '../../../ui/tui/spinner.js';

// The clock and the timers are vitest's: a frame is due on the spinner's turns, so the test
// moves time itself and counts the frames Ink wrote (ink-testing-library writes every render as
// a frame). React's act() renders at once what the timers made due.
const START = 1_700_000_000_000;

/** Moves the fake clock by `ms` and lets React draw what that made due. */
async function advance(ms: number): Promise<void> {
  await act(async () => {
    vi.advanceTimersByTime(ms);
  });
}

/** Lets React render and run the effects of what was done outside a timer. */
const settled = () => advance(0);

function stage(id: string, fields: Partial<StageView> = {}): StageView {
  return { id, name: id, agent: 'builder-1', reviewAgent: null, kind: 'work', group: null, status: 'pending', ...fields };
}

function runningView(): RunView {
  return {
    title: 'Add a login page', feature: 'add-login', runner: 'copilot', startedAt: START, elapsedBefore: 0, maxSeconds: 0,
    stages: [stage('SPEC', { status: 'running', startedAt: START }), stage('IMPLEMENT')],
    groups: [], output: {}, status: 'running',
  };
}

/** LiveRun on a store, with the store's and the counts' events fed together as executeRun does. */
function liveRun(view: RunView) {
  const store = createViewStore(view);
  const counts = createOutputLineCounts();
  const feed = (body: { type: 'stage.output'; stage: string; line: string }) => {
    const event = { ...body, ts: new Date(Date.now()).toISOString() };
    counts.count(event);
    store.dispatch(event);
  };
  let screen: ReturnType<typeof render> | undefined;
  act(() => {
    screen = render(<LiveRun store={store} outputCounts={counts} cancel={() => {}} quitNow={() => {}} />);
  });
  return { feed, screen: screen! };
}

describe('the live view’s frames', () => {
  // act() needs React told that it runs in a test.
  beforeAll(() => {
    Object.assign(globalThis, { IS_REACT_ACT_ENVIRONMENT: true });
  });
  afterAll(() => {
    Object.assign(globalThis, { IS_REACT_ACT_ENVIRONMENT: false });
  });
  beforeEach(() => {
    vi.useFakeTimers({ now: START });
  });
  afterEach(() => {
    act(() => cleanup());
    vi.useRealTimers();
  });

  it('draws an agent printing a line every millisecond at most once per spinner turn, each frame with the latest lines and count', async () => {
    const { feed, screen } = liveRun(runningView());
    await settled();
    const first = screen.frames.length;
    const seconds = 2;
    let printed = 0;
    for (let ms = 0; ms < seconds * 1000; ms++) {
      feed({ type: 'stage.output', stage: 'SPEC', line: `SPEC line ${++printed}` });
      await advance(1);
    }
    await advance(SPINNER_INTERVAL_MS);

    const drawn = screen.frames.length - first;
    expect(drawn).toBeGreaterThan(0);
    // One frame per turn of the spinner (and one for the turn after the last line).
    expect(drawn).toBeLessThanOrEqual((seconds * 1000) / SPINNER_INTERVAL_MS + 1);
    const last = screen.lastFrame() ?? '';
    expect(last).toContain(`SPEC line ${printed}`);
    expect(last).toContain(`of ${printed}`);
  });

  it('draws nothing while nothing runs and nothing happens, and the next change at the next turn', async () => {
    const view = runningView();
    const { feed, screen } = liveRun({ ...view, stages: view.stages.map((candidate) => ({ ...candidate, status: 'pending' as const })) });
    await advance(SPINNER_INTERVAL_MS * 2);
    const quiet = screen.frames.length;
    for (let turn = 0; turn < 20; turn++) await advance(SPINNER_INTERVAL_MS);
    expect(screen.frames.length).toBe(quiet);

    feed({ type: 'stage.output', stage: 'SPEC', line: 'a late line' });
    await settled();
    expect(screen.lastFrame()).not.toContain('a late line');
    await advance(SPINNER_INTERVAL_MS);
    expect(screen.lastFrame()).toContain('a late line');
  });
});
