import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RunEvent, RunEventType } from '../../../machines/session/runEvents.js';
import { renderRunSummary, type RunSummaryOptions } from '../../../ui/text/runSummary.js';
import { initialRunView, reduceRunView } from '../../../ui/run-view/runView.js';
import type { RunView } from '../../../ui/run-view/runViewModel.js';
import { stagesFrom } from '../../support/workflowHarness.js';

const stages = stagesFrom(readFileSync(new URL('../../../config/stages.yaml', import.meta.url), 'utf8'));
const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const event = (seconds: number, type: RunEventType, fields: Record<string, unknown> = {}): RunEvent =>
  ({ ts: new Date(T0 + seconds * 1000).toISOString(), type, ...fields }) as RunEvent;

/** A stage that runs from `from` to `to` seconds and completes. */
const ran = (stage: string, from: number, to: number): RunEvent[] => [
  event(from, 'stage.started', { stage, agent: 'agent', role: 'work', iteration: 1 }),
  event(to, 'stage.completed', { stage, duration_ms: (to - from) * 1000 }),
];

/** Resumed after SETUP and BUSINESS_PROBLEM; RESEARCH (100–150 s) and TEST_STRATEGY (100–130 s) in parallel. */
const untilGroup: RunEvent[] = [
  event(0, 'run.started', { feature: 'password-reset', runner: 'simulated', resumed: true }),
  ...ran('SPEC', 0, 40),
  event(40, 'stage.started', { stage: 'SPEC_REVIEW', agent: 'ba', role: 'work', iteration: 1 }),
  event(70, 'review.iteration', { stage: 'SPEC_REVIEW', iteration: 1, max: 4, verdict: 'rejected', feedback: 'no expiry case' }),
  event(100, 'review.iteration', { stage: 'SPEC_REVIEW', iteration: 2, max: 4, verdict: 'approved', feedback: '' }),
  event(100, 'stage.completed', { stage: 'SPEC_REVIEW', duration_ms: 60_000 }),
  event(100, 'group.started', { group: 'post_spec_review', stages: ['RESEARCH', 'TEST_STRATEGY'] }),
  event(100, 'stage.started', { stage: 'RESEARCH', agent: 'builder-1', role: 'work', iteration: 1 }),
  event(100, 'stage.started', { stage: 'TEST_STRATEGY', agent: 'builder-2', role: 'work', iteration: 1 }),
];

const completeRun: RunEvent[] = [
  ...untilGroup,
  event(130, 'stage.completed', { stage: 'TEST_STRATEGY', duration_ms: 30_000 }),
  event(150, 'stage.completed', { stage: 'RESEARCH', duration_ms: 50_000 }),
  event(150, 'group.completed', { group: 'post_spec_review', stages: ['RESEARCH', 'TEST_STRATEGY'] }),
  ...ran('PLAN', 150, 180),
  ...ran('PLAN_REVIEW', 180, 200),
  ...ran('IMPLEMENTATION', 200, 300),
  ...ran('IMPLEMENTATION_REVIEW', 300, 330),
  ...ran('TEST', 330, 360),
  event(360, 'stage.started', { stage: 'ACCEPTANCE_TEST', agent: 'builder-1', role: 'acceptance', iteration: 1 }),
  event(380, 'acceptance.iteration', { stage: 'ACCEPTANCE_TEST', iteration: 1, passed: 3, failed: 2, total: 5 }),
  event(420, 'acceptance.iteration', { stage: 'ACCEPTANCE_TEST', iteration: 2, passed: 5, failed: 0, total: 5 }),
  event(420, 'stage.completed', { stage: 'ACCEPTANCE_TEST', duration_ms: 60_000 }),
  ...ran('POST_REVIEW', 420, 440),
  event(440, 'run.completed', { status: 'complete', duration_ms: 440_000 }),
];

const groupError = 'parallel group post_spec_review failed (TEST_STRATEGY: agent exited with code 2)';
const failedRun: RunEvent[] = [
  ...untilGroup,
  event(120, 'stage.failed', { stage: 'TEST_STRATEGY', error: 'agent exited with code 2' }),
  event(150, 'stage.completed', { stage: 'RESEARCH', duration_ms: 50_000 }),
  event(150, 'group.failed', { group: 'post_spec_review', stages: ['RESEARCH', 'TEST_STRATEGY'], failed: ['TEST_STRATEGY'] }),
  event(150, 'run.completed', { status: 'error', duration_ms: 150_000, error: groupError, failed: ['TEST_STRATEGY'] }),
];

const viewOf = (events: readonly RunEvent[]): RunView => events.reduce(reduceRunView, initialRunView({
  stages, title: 'Password reset', feature: 'password-reset', runner: 'simulated',
  startedAt: T0, elapsedBefore: 120, maxSeconds: 3600, completed: ['SETUP', 'BUSINESS_PROBLEM'],
}));

const resumeCommand = 'teambot run --resume .teambot/password-reset';
const render = (view: RunView, options: Partial<RunSummaryOptions> = {}) => renderRunSummary(view, {
  width: 80, color: false,
  paths: {
    artifacts: '.teambot/password-reset/artifacts/',
    state: '.teambot/password-reset/orchestration_state.json',
    events: '.teambot/password-reset/events.jsonl',
  },
  ...options,
});

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
const BAR_CHARS = /[█▆░▒]/;

/** The rows of the timeline section, by stage id. */
function timelineRows(summary: string): Map<string, string> {
  const lines = summary.split('\n');
  const from = lines.findIndex((line) => line.startsWith('TIMELINE'));
  const rows = new Map<string, string>();
  for (const line of lines.slice(from + 1)) {
    const match = /^ {2}([A-Z][A-Z0-9_]*) /.exec(line);
    if (!match) break;
    rows.set(match[1]!, line);
  }
  return rows;
}

/** The columns [first, last] a stage's bar covers. */
function barColumns(row: string | undefined): [number, number] {
  const cells = [...(row ?? '')];
  const first = cells.findIndex((cell) => BAR_CHARS.test(cell));
  const last = cells.findLastIndex((cell) => BAR_CHARS.test(cell));
  if (first < 0) throw new Error(`no bar in ${JSON.stringify(row)}`);
  return [first, last];
}
const overlap = ([a1, a2]: [number, number], [b1, b2]: [number, number]) => a1 <= b2 && b1 <= a2;
const unwrapped = (summary: string) => summary.replace(/\n +/g, ' ');

describe('renderRunSummary of a complete run', () => {
  const summary = render(viewOf(completeRun));
  const lines = summary.split('\n');

  it('says it completed, and how long this session and all sessions took', () => {
    expect(lines[0]).toBe('✓ complete');
    expect(unwrapped(summary)).toContain('7 min 20 s this session, 9 min 20 s over all sessions');
  });

  it('lists every stage with its time, or why it has none', () => {
    const row = (id: string) => lines.find((line) => line.startsWith(`  ✓ ${id} `));
    expect(row('SETUP')).toMatch(/ {2}completed earlier$/);
    expect(row('SPEC')).toMatch(/ {2}40\.0 s$/);
    expect(row('SPEC_REVIEW')).toMatch(/ {2}1 min 00 s +approved in iteration 2 of 4$/);
    expect(row('IMPLEMENTATION')).toMatch(/ {2}1 min 40 s$/);
    expect(row('ACCEPTANCE_TEST')).toMatch(/round 2: 5\/5 passed$/);
    expect(row('RESEARCH')).toMatch(/50\.0 s +‖ post_spec_review$/);
    expect(stages.stage_order.every((id) => row(id) !== undefined)).toBe(true);
  });

  it('draws one bar per stage run in this session on one axis', () => {
    const rows = timelineRows(summary);
    expect([...rows.keys()]).toEqual(stages.stage_order.filter((id) => !['SETUP', 'BUSINESS_PROBLEM', 'COMPLETE'].includes(id)));
    const axisAt = lines.findIndex((line) => line.includes('├'));
    expect(lines[axisAt]).toMatch(/├─+┤$/);
    expect(lines[axisAt + 1]).toMatch(/ 0 +7 min 20 s$/);
    // The axis spans exactly the bars' area: the first bar starts at 0, the last ends at the total.
    expect(barColumns(rows.get('SPEC'))[0]).toBe(lines[axisAt]!.indexOf('├'));
    expect(barColumns(rows.get('POST_REVIEW'))[1]).toBe(lines[axisAt]!.indexOf('┤'));
  });

  it('overlaps the bars of the parallel stages, and only theirs', () => {
    const rows = timelineRows(summary);
    expect(overlap(barColumns(rows.get('RESEARCH')), barColumns(rows.get('TEST_STRATEGY')))).toBe(true);
    const sequence = ['SPEC', 'SPEC_REVIEW', 'RESEARCH', 'PLAN', 'PLAN_REVIEW', 'IMPLEMENTATION',
      'IMPLEMENTATION_REVIEW', 'TEST', 'ACCEPTANCE_TEST', 'POST_REVIEW'];
    for (const [index, stage] of sequence.slice(1).entries()) {
      const previous = barColumns(rows.get(sequence[index]!));
      const current = barColumns(rows.get(stage));
      expect(overlap(previous, current), `${sequence[index]!} and ${stage}`).toBe(false);
      expect(current[0]).toBeGreaterThan(previous[1]);
    }
    expect(overlap(barColumns(rows.get('TEST_STRATEGY')), barColumns(rows.get('PLAN')))).toBe(false);
  });

  it('says what the parallel group saved: 50 s + 30 s of work in 50 s', () => {
    expect(unwrapped(summary)).toContain(
      '‖ post_spec_review: RESEARCH ‖ TEST_STRATEGY ran together in 50.0 s, saved 30.0 s compared with running its stages one after another');
  });

  it('says where the files are, and no resume command for a complete run', () => {
    expect(lines).toContain('  artifacts  .teambot/password-reset/artifacts/');
    expect(lines).toContain('  state      .teambot/password-reset/orchestration_state.json');
    expect(lines).toContain('  events     .teambot/password-reset/events.jsonl');
    expect(summary).not.toContain('resume ');
  });

  it('has no escape codes without colour, and colours with it', () => {
    expect(summary).not.toMatch(ANSI);
    const coloured = render(viewOf(completeRun), { color: true });
    expect(coloured).toMatch(ANSI);
    expect(coloured.replace(ANSI, '')).toBe(summary);
  });

  it.each([30, 50, 72, 80, 120])('keeps every line within %i columns', (width) => {
    const summaries = [render(viewOf(completeRun), { width }), render(viewOf(failedRun), { width, color: true, resumeCommand })];
    for (const text of summaries) {
      for (const line of text.replace(ANSI, '').split('\n')) expect([...line].length, line).toBeLessThanOrEqual(width);
    }
    const lines = summaries[0]!.split('\n');
    const barRows = lines.slice(lines.findIndex((line) => line.startsWith('TIMELINE')) + 1, lines.findIndex((line) => line.includes('├')));
    expect(barRows.filter((line) => BAR_CHARS.test(line))).toHaveLength(11);
  });
});

describe('renderRunSummary of a run that stopped', () => {
  const summary = render(viewOf(failedRun), { resumeCommand });
  const lines = summary.split('\n');

  it('shows the failure first, the failed stage in the table and the stages not run', () => {
    expect(lines[0]).toMatch(/^✗ error: parallel group post_spec_review failed/);
    expect(unwrapped(summary)).toContain(`✗ error: ${groupError} Password reset`);
    expect(lines.find((line) => line.startsWith('  ✗ TEST_STRATEGY'))).toMatch(/ 20\.0 s$/);
    // The reason does not fit beside the stage at 80 columns: it follows on the next line.
    expect(unwrapped(summary)).toContain('✗ TEST_STRATEGY          20.0 s failed: agent exited with code 2; ‖ post_spec_review');
    expect(lines.find((line) => line.startsWith('  · PLAN '))).toMatch(/pending$/);
  });

  it('draws the failed stage with its own bar and a ✗, still overlapping its sibling', () => {
    const rows = timelineRows(summary);
    expect(rows.get('TEST_STRATEGY')).toMatch(/░+ +20\.0 s ✗$/);
    expect(rows.get('TEST_STRATEGY')).not.toContain('█');
    expect(overlap(barColumns(rows.get('RESEARCH')), barColumns(rows.get('TEST_STRATEGY')))).toBe(true);
    expect(rows.has('PLAN')).toBe(false);
    expect(unwrapped(summary)).toContain('saved 20.0 s compared');
  });

  it('ends with the command that resumes it', () => {
    expect(lines.at(-1)).toBe(`  resume     ${resumeCommand}`);
  });

  it('wraps a long resume command so that it still pastes into a shell', () => {
    const long = `${resumeCommand} --runner copilot --max-minutes 90 --stages ./workflows/stages.yaml`;
    const wrapped = render(viewOf(failedRun), { width: 60, resumeCommand: long }).split('\n');
    const from = wrapped.findIndex((line) => line.startsWith('  resume'));
    const commandLines = wrapped.slice(from).map((line, index) => (index === 0 ? line.slice('  resume     '.length) : line.trim()));
    expect(commandLines.length).toBeGreaterThan(1);
    expect(commandLines.slice(0, -1).every((line) => line.endsWith(' \\'))).toBe(true);
    expect(commandLines.map((line) => line.replace(/ \\$/, '')).join(' ')).toBe(long);
  });

  it('marks stages a cancel interrupted, and never reports a negative saving', () => {
    const cancelled = render(viewOf([
      ...untilGroup,
      event(140, 'stage.completed', { stage: 'TEST_STRATEGY', duration_ms: 5_000 }),
      event(160, 'run.completed', { status: 'cancelled', duration_ms: 160_000, error: 'cancelled by the user' }),
    ]), { resumeCommand });
    expect(cancelled.split('\n')[0]).toBe('✗ cancelled: cancelled by the user');
    expect(unwrapped(cancelled)).toMatch(/■ RESEARCH +1 min 00 s interrupted \(cancelled\); ‖ post_spec_review/);
    expect(timelineRows(cancelled).get('RESEARCH')).toMatch(/▒+ +1 min 00 s ■$/);
    // RESEARCH never finished, so what running the group sequentially would have cost is unknown.
    expect(unwrapped(cancelled)).not.toContain('saved');
    const slowGroup = render(viewOf([
      ...untilGroup.slice(0, -3),
      event(100, 'group.started', { group: 'post_spec_review', stages: ['RESEARCH', 'TEST_STRATEGY'] }),
      ...ran('RESEARCH', 101, 120),
      ...ran('TEST_STRATEGY', 120, 139),
      event(160, 'group.completed', { group: 'post_spec_review', stages: ['RESEARCH', 'TEST_STRATEGY'] }),
      event(160, 'run.completed', { status: 'cancelled', duration_ms: 160_000 }),
    ]));
    expect(unwrapped(slowGroup)).toContain('saved 0.0 s compared');
  });
});
