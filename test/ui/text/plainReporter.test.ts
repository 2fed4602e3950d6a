import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RunEvent, RunEventType } from '../../../machines/session/runEvents.js';
import { initialRunView, reduceRunView } from '../../../ui/run-view/runView.js';
import { lineReporter } from '../../../ui/text/plainReporter.js';
import { renderRunSummary } from '../../../ui/text/runSummary.js';
import { stageWord } from '../../../ui/text/stageWords.js';
import { stagesFrom } from '../../support/workflowHarness.js';

const stages = stagesFrom(readFileSync(new URL('../../../config/stages.yaml', import.meta.url), 'utf8'));
const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const event = (seconds: number, type: RunEventType, fields: Record<string, unknown> = {}): RunEvent =>
  ({ ts: new Date(T0 + seconds * 1000).toISOString(), type, ...fields }) as RunEvent;
const completed = ['SETUP', 'BUSINESS_PROBLEM', 'SPEC', 'SPEC_REVIEW', 'RESEARCH'];

/** A resumed session: RESEARCH completed earlier, TEST_STRATEGY restarts, the user cancels. */
const resumedThenCancelled: RunEvent[] = [
  event(0, 'run.started', { feature: 'f', objective: 'o.md', runner: 'simulated', stages: 14, sequential: false, resumed: true, elapsed_seconds: 60 }),
  event(0, 'group.started', { group: 'post_spec_review', stages: ['RESEARCH', 'TEST_STRATEGY'], remaining: ['TEST_STRATEGY'], resumed: true }),
  event(0, 'stage.started', { stage: 'TEST_STRATEGY', agent: 'builder-2', role: 'work', iteration: 1, resumed: true }),
  event(5, 'run.completed', { status: 'cancelled', duration_ms: 5_000, elapsed_seconds: 65, error: 'cancelled by the user' }),
];

const printed = (events: readonly RunEvent[]) => {
  const lines: string[] = [];
  const reporter = lineReporter((line) => lines.push(line));
  for (const logged of events) reporter.onEvent?.(logged);
  return lines.join('\n');
};

describe('the plain reporter', () => {
  it('says which stages a resumed group runs and which completed earlier', () => {
    expect(printed(resumedThenCancelled)).toMatch(
      /group\.started +post_spec_review {2}RESEARCH ‖ TEST_STRATEGY; running TEST_STRATEGY, RESEARCH completed earlier, restarted by resume$/m);
  });

  it('names the stages a stopped run interrupted, in the words of the view and the summary', () => {
    const view = resumedThenCancelled.reduce(reduceRunView, initialRunView({
      stages, title: 't', feature: 'f', runner: 'simulated', startedAt: T0, elapsedBefore: 60, maxSeconds: 3600, completed,
    }));
    const word = stageWord(view.stages.find((stage) => stage.id === 'TEST_STRATEGY')!);
    expect(word).toBe('interrupted');
    expect(printed(resumedThenCancelled)).toMatch(new RegExp(`run\\.completed +cancelled .*\\n {4}${word} \\(cancelled\\): TEST_STRATEGY$`));
    const summary = renderRunSummary(view, { width: 120, color: false, paths: { artifacts: 'a/', state: 's', events: 'e' } });
    expect(summary).toMatch(new RegExp(`■ TEST_STRATEGY +5\\.0 s +${word} \\(cancelled\\)`));
    expect(summary).toMatch(/✓ RESEARCH +completed earlier/);
  });

  it('says why a fail_fast sibling was aborted, and names no stage interrupted that ended', () => {
    const text = printed([
      event(0, 'stage.started', { stage: 'RESEARCH', agent: 'b1', role: 'work', iteration: 1 }),
      event(0, 'stage.started', { stage: 'TEST_STRATEGY', agent: 'b2', role: 'work', iteration: 1 }),
      event(2, 'stage.failed', { stage: 'TEST_STRATEGY', error: 'boom' }),
      event(2, 'stage.aborted', { stage: 'RESEARCH' }),
      event(2, 'run.completed', { status: 'error', duration_ms: 2_000, elapsed_seconds: 2, error: 'group failed', failed: ['TEST_STRATEGY'] }),
    ]);
    expect(text).toMatch(/stage\.aborted +RESEARCH {2}a fail_fast sibling failed$/m);
    expect(text).not.toMatch(/interrupted/);
  });
});
