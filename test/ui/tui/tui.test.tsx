import { render, cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { GroupView, RunView, StageView } from '../../../ui/run-view/runViewModel.js';
import { AGENT_PALETTE, agentColor } from '../../../ui/tui/agentColor.js';
import { formatDuration, formatElapsed } from '../../../ui/text/duration.js';
import { displayWidth, oneLine, truncate } from '../../../ui/tui/format.js';
import { RunScreen, type RunScreenProps } from '../../../ui/tui/components/RunScreen.js';
import { fitSegments, segmentsWidth } from '../../../ui/tui/segments.js';
import { LIST_HINT } from '../../../ui/tui/keyHelp.js';
import { INITIAL_LIVE_UI } from '../../../ui/tui/liveUiState.js';
import { liveScreenContext } from '../../../ui/tui/liveScreen.js';
import { sameStageRow, type StageRowProps } from '../../../ui/tui/components/StageRow.js';

const NOW = 1_700_000_100_000;

function stage(id: string, fields: Partial<StageView> = {}): StageView {
  return { id, name: id, agent: 'ba', reviewAgent: null, kind: 'work', group: null, status: 'pending', ...fields };
}

/** A run mid-way: spec done and reviewed, the post_spec_review group running, the rest pending. */
function runView(fields: Partial<RunView> = {}): RunView {
  const stages: StageView[] = [
    stage('SPEC', { status: 'completed', startedAt: NOW - 60_000, endedAt: NOW - 57_500, durationMs: 2_500 }),
    stage('SPEC_REVIEW', { kind: 'review', reviewAgent: 'reviewer', status: 'completed', durationMs: 64_000, iteration: 2, maxIterations: 4, lastVerdict: 'approved' }),
    stage('RESEARCH', { agent: 'builder-1', group: 'post_spec_review', status: 'running', startedAt: NOW - 12_000, lastLine: 'reading the docs' }),
    stage('TEST_STRATEGY', { agent: 'builder-2', group: 'post_spec_review', status: 'running', startedAt: NOW - 8_000, lastLine: 'listing risks' }),
    stage('IMPLEMENT', { agent: 'builder-1' }),
    stage('ACCEPTANCE', { kind: 'acceptance_test', agent: 'tester' }),
  ];
  const groups: GroupView[] = [
    { id: 'post_spec_review', stages: ['RESEARCH', 'TEST_STRATEGY'], onFailure: 'let_finish', status: 'running', startedAt: NOW - 12_000 },
  ];
  return {
    title: 'Add a login page',
    feature: 'add-login',
    runner: 'simulated',
    startedAt: NOW - 4_000,
    elapsedBefore: 60,
    maxSeconds: 1_800,
    stages,
    groups,
    output: {
      RESEARCH: Array.from({ length: 40 }, (_, index) => `research line ${index + 1}`),
      TEST_STRATEGY: ['strategy line 1', 'listing risks'],
    },
    status: 'running',
    ...fields,
  };
}

function withStage(view: RunView, id: string, fields: Partial<StageView>): RunView {
  return { ...view, stages: view.stages.map((candidate) => (candidate.id === id ? { ...candidate, ...fields } : candidate)) };
}

function frame({ focusedStage = null, expanded = false, ...props }: Partial<RunScreenProps> & { view: RunView; focusedStage?: string | null; expanded?: boolean }): string[] {
  const ui = { ...INITIAL_LIVE_UI, focusedStage, expanded };
  const height = props.height ?? 30;
  const context = liveScreenContext(props.view, ui, {}, height, props.inspectorUrl);
  const { lastFrame } = render(<RunScreen now={NOW} ui={ui} context={context} width={100} height={height} {...props} />);
  return (lastFrame() ?? '').split('\n');
}

const lineWith = (lines: readonly string[], text: string) => lines.find((line) => line.includes(text)) ?? '';

afterEach(cleanup);

describe('RunScreen', () => {
  it('draws a parallel group as one block with its concurrent running stages', () => {
    const lines = frame({ view: runView() });
    const top = lines.findIndex((line) => line.startsWith('┌ post_spec_review'));
    expect(top).toBeGreaterThan(-1);
    expect(lines[top]).toContain('running');
    const research = lines[top + 1]!;
    const strategy = lines[top + 2]!;
    expect(lines[top + 3]).toMatch(/^└ 0\/2 done · 2 running/);
    expect(research).toMatch(/^│  [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] RESEARCH\s+builder-1\s+12 s · reading the docs$/);
    expect(strategy).toMatch(/^│  [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] TEST_STRATEGY\s+builder-2\s+8 s · listing risks$/);
    // Rows outside the group have no bracket.
    expect(lineWith(lines, 'IMPLEMENT')).toMatch(/^ {3}· IMPLEMENT/);
  });

  it('shows a review stage’s iteration and last verdict', () => {
    const view = withStage(runView(), 'SPEC_REVIEW', { status: 'running', startedAt: NOW - 5_000, durationMs: undefined, lastVerdict: 'rejected' });
    expect(lineWith(frame({ view }), 'SPEC_REVIEW')).toMatch(/ba ⇄ reviewer\s+iteration 2\/4 · rejected · 5 s/);
  });

  it('shows the acceptance stage’s counts', () => {
    const view = withStage(runView(), 'ACCEPTANCE', { status: 'running', startedAt: NOW - 1_000, iteration: 2, acceptance: { passed: 3, failed: 2, total: 5 } });
    expect(lineWith(frame({ view }), 'ACCEPTANCE')).toContain('round 2 · passed 3/5');
  });

  it('marks a failed stage with ✗ and its reason', () => {
    const view = withStage(runView(), 'IMPLEMENT', { status: 'failed', error: 'agent exited with code 1\n  at stack' });
    const row = lineWith(frame({ view }), 'IMPLEMENT');
    expect(row).toMatch(/^ {3}✗ IMPLEMENT\s+builder-1\s+agent exited with code 1$/);
  });

  it('shows the other statuses by mark and word', () => {
    let view = withStage(runView(), 'IMPLEMENT', { status: 'skipped' });
    view = withStage(view, 'ACCEPTANCE', { status: 'aborted' });
    const lines = frame({ view });
    expect(lineWith(lines, 'IMPLEMENT')).toMatch(/↷ IMPLEMENT.*skipped$/);
    expect(lineWith(lines, 'ACCEPTANCE')).toMatch(/⊘ ACCEPTANCE.*aborted$/);
  });

  it('shows completed stages with their durations', () => {
    const lines = frame({ view: runView() });
    expect(lineWith(lines, 'SPEC ')).toMatch(/✓ SPEC\s+ba\s+2\.5 s$/);
    expect(lineWith(lines, 'SPEC_REVIEW')).toMatch(/✓ SPEC_REVIEW.*iteration 2\/4 · approved · 1 min 04 s$/);
  });

  it('puts the header’s elapsed time (earlier sessions included) against the limit', () => {
    const lines = frame({ view: runView() });
    expect(lines[0]).toContain('Add a login page');
    expect(lines[1]).toMatch(/running · 1 min 04 s \/ 30 min 00 s · feature add-login · runner simulated/);
  });

  it('marks the focused stage and shows its output tail', () => {
    const lines = frame({ view: runView(), focusedStage: 'RESEARCH' });
    expect(lines.filter((line) => line.includes('›'))).toEqual([expect.stringContaining('RESEARCH')]);
    expect(lineWith(lines, '── output')).toContain('RESEARCH · builder-1');
    expect(lines).toContain('research line 40');
    expect(lines).not.toContain('listing risks');
  });

  it('without focus shows the output of the stage that started last', () => {
    const lines = frame({ view: runView() });
    expect(lineWith(lines, '── output')).toContain('TEST_STRATEGY');
    expect(lines).toContain('strategy line 1');
    expect(lines.some((line) => line.includes('›'))).toBe(false);
  });

  it('expanded shows more of the focused stage’s output', () => {
    const outputLines = (lines: string[]) => lines.filter((line) => /^research line \d+$/.test(line));
    const collapsed = outputLines(frame({ view: runView(), focusedStage: 'RESEARCH' }));
    const expanded = frame({ view: runView(), focusedStage: 'RESEARCH', expanded: true });
    expect(outputLines(expanded).length).toBeGreaterThan(collapsed.length + 5);
    expect(outputLines(expanded).at(-1)).toBe('research line 40');
    expect(lineWith(expanded, '── output')).toMatch(/lines \d+–40 of 40/);
    expect(expanded.at(-1)).toContain('enter back');
  });

  it('says "saving state…" while cancelling', () => {
    expect(frame({ view: runView({ status: 'cancelling' }) })[1]).toMatch(/^■ saving state…/);
  });

  it('ends with the key help', () => {
    expect(frame({ view: runView() }).at(-1)).toBe(LIST_HINT);
  });

  it('fits the width: no line is longer than it', () => {
    const long = 'x'.repeat(200);
    let view = withStage(runView({ title: `A very long objective title ${long}` }), 'IMPLEMENT', { status: 'failed', error: `compile error ${long}` });
    view = withStage(view, 'RESEARCH', { lastLine: `reading ${long}` });
    view = { ...view, output: { ...view.output, RESEARCH: [`wide 日本語 ${long}`] } };
    for (const width of [40, 60, 100]) {
      const lines = frame({ view, width, focusedStage: 'RESEARCH' });
      for (const line of lines) expect(displayWidth(line), `${width}: ${line}`).toBeLessThanOrEqual(width);
      expect(lineWith(lines, 'IMPLEMENT')).toMatch(/…$/);
    }
  });

  it('fits the height: a long stage list scrolls around the focus', () => {
    const many = Array.from({ length: 30 }, (_, index) => stage(`STAGE_${index + 1}`, { status: index < 20 ? 'completed' : 'pending', durationMs: 1_000 }));
    const view = runView({ stages: many, groups: [], output: {} });
    const lines = frame({ view, height: 20, focusedStage: 'STAGE_25' });
    // One row less than the terminal: Ink clears the whole screen (and the scrollback) for a frame as tall as it.
    expect(lines.length).toBeLessThanOrEqual(19);
    expect(lineWith(lines, '›')).toContain('STAGE_25');
    expect(lines.some((line) => /↑ \d+ more/.test(line))).toBe(true);
    expect(lines.at(-1)).toContain('q cancel');
  });
});

describe('RunScreen: scrollback-friendly frames', () => {
  it('is never as tall as the terminal, and a short output adds no blank lines', () => {
    for (const height of [8, 10, 16, 24, 40]) {
      const lines = frame({ view: runView(), height });
      expect(lines.length, `${height} rows`).toBeLessThanOrEqual(height - 1);
      // Below 16 rows the parallel group alone outgrows the room and the frame is only cut to fit.
      if (height >= 16) expect(lines.filter((line) => line.trim() === ''), lines.join('\n')).toEqual([]);
    }
  });

  it('shows the inspector address as the header’s third line', () => {
    const lines = frame({ view: runView(), inspectorUrl: 'http://127.0.0.1:4100/t/abc/' });
    expect(lines[2]).toBe('inspector  http://127.0.0.1:4100/t/abc/');
  });

  it('leaves a final frame of header and stages: no output pane, no key hint', () => {
    const lines = frame({ view: runView({ status: 'complete', endedAt: NOW }), final: true });
    expect(lines[0]).toMatch(/^teambot {2}Add a login page/);
    expect(lineWith(lines, 'SPEC_REVIEW')).toMatch(/approved/);
    expect(lines.some((line) => line.startsWith('── output'))).toBe(false);
    expect(lines.some((line) => line.includes('q cancel'))).toBe(false);
  });

  it('says where the earlier lines are when the kept output was cut', () => {
    const view = runView();
    const ui = { ...INITIAL_LIVE_UI, focusedStage: 'RESEARCH', expanded: true };
    const context = liveScreenContext(view, ui, { RESEARCH: 540 }, 30, undefined);
    const { lastFrame } = render(
      <RunScreen view={view} now={NOW} ui={ui} context={context} width={100} height={30} outputFile={(id) => `.teambot/add-login/output/${id}.log`} />,
    );
    const lines = (lastFrame() ?? '').split('\n');
    expect(lines).toContain('500 earlier lines are in .teambot/add-login/output/RESEARCH.log');
    expect(lineWith(lines, '── output')).toMatch(/lines \d+–540 of 540/);
  });

  it('shows the keys with ?', () => {
    const ui = { ...INITIAL_LIVE_UI, help: true };
    const view = runView();
    const { lastFrame } = render(<RunScreen view={view} now={NOW} ui={ui} context={liveScreenContext(view, ui, {}, 30, undefined)} width={100} height={30} />);
    expect(lastFrame()).toMatch(/PgUp \/ PgDn\s+scroll the full output a page/);
  });
});

describe('StageRow memo', () => {
  const props = (stageView: StageView, now: number): StageRowProps => ({ stage: stageView, focused: false, now, width: 80, gutter: ' ', idWidth: 10, agentWidth: 10 });

  it('ignores the clock for a finished row but not for a running one', () => {
    const done = stage('SPEC', { status: 'completed', durationMs: 1 });
    const running = stage('PLAN', { status: 'running', startedAt: NOW });
    expect(sameStageRow(props(done, NOW), props(done, NOW + 1_000))).toBe(true);
    expect(sameStageRow(props(running, NOW), props(running, NOW + 1_000))).toBe(false);
    expect(sameStageRow(props(done, NOW), props({ ...done, lastLine: 'new' }, NOW))).toBe(false);
  });
});

describe('format', () => {
  it('formats durations', () => {
    expect(formatDuration(2_500)).toBe('2.5 s');
    expect(formatDuration(59_960)).toBe('1 min 00 s');
    expect(formatDuration(64_000)).toBe('1 min 04 s');
    expect(formatDuration(3_720_000)).toBe('1 h 02 min');
    expect(formatElapsed(12_999)).toBe('12 s');
  });

  it('truncates by columns, not characters', () => {
    expect(truncate('reading the docs', 8)).toBe('reading…');
    expect(truncate('日本語テキスト', 5)).toBe('日本…');
    expect(displayWidth(truncate('日本語テキスト', 5))).toBeLessThanOrEqual(5);
    expect(truncate('short', 10)).toBe('short');
    const fitted = fitSegments([{ text: '✗ ' }, { text: 'agent exited', color: 'red' }], 8);
    expect(fitted).toEqual([{ text: '✗ ' }, { text: 'agent…', color: 'red' }]);
    expect(segmentsWidth(fitted)).toBe(8);
  });

  it('strips escape codes and keeps the first line', () => {
    expect(oneLine('\u001b[31mboom\u001b[0m\tnow\nstack')).toBe('boom  now');
  });
});

describe('agentColor', () => {
  it('gives each agent a stable colour from the palette', () => {
    expect(agentColor('builder-1')).toBe(agentColor('builder-1'));
    expect(AGENT_PALETTE).toContain(agentColor('reviewer'));
    expect(agentColor('builder-1')).not.toBe(agentColor('builder-2'));
  });
});
