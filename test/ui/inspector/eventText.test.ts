import { describe, expect, it } from 'vitest';
import {
  describeEvent, eventTone, firstLine, formatDuration, relativeTime, stageDuration, stageMeta,
} from '../../../ui/inspector/page/eventText.js';
import { formatEventLine } from '../../../ui/text/plainReporter.js';
import { completeRun, loose } from './fixtures.js';
import type { StageView } from '../../../ui/run-view/runViewModel.js';

describe('describeEvent', () => {
  it('says what each event of a run means in the plain reporter\'s words', () => {
    for (const event of completeRun) expect(formatEventLine(event)).toContain(describeEvent(event));
    expect(completeRun.map(describeEvent).slice(0, 4)).toEqual([
      'dark-mode  5 stages, runner simulated', 'agent pm', '0.9 s', 'post_spec_review  RESEARCH ‖ TEST_STRATEGY',
    ]);
    expect(completeRun.map(describeEvent)).toContain('1/3 rejected: tests missing');
    expect(completeRun.map(describeEvent)).toContain('agent reviewer (review), iteration 2');
  });

  it('describes failures, acceptance rounds, and events it does not know or cannot read', () => {
    expect(describeEvent(loose({ type: 'group.failed', group: 'g', stages: ['A', 'B'], failed: ['A', 'B'] }))).toBe('g  failed: A, B');
    expect(describeEvent(loose({ type: 'acceptance.iteration', iteration: 2, passed: 3, total: 4, failed: 1 }))).toBe('round 2: 3/4 passed, 1 failed');
    expect(describeEvent(loose({ type: 'run.completed', status: 'error', duration_ms: 1000, error: 'boom' }))).toBe('error  in 1.0 s  boom');
    expect(describeEvent(loose({ type: 'custom.thing', ts: 'x', stage: 'S', detail: 1 }))).toBe('{"detail":1}');
    // A line of events.jsonl whose fields are not what its type promises: its fields, not a broken list.
    expect(describeEvent(loose({ type: 'group.failed', group: 'g' }))).toBe('{"group":"g"}');
  });
});

describe('eventTone', () => {
  it('tells good, bad, warning and start events apart', () => {
    expect(eventTone(loose({ type: 'stage.failed' }))).toBe('tone-bad');
    expect(eventTone(loose({ type: 'run.completed', status: 'complete' }))).toBe('tone-good');
    expect(eventTone(loose({ type: 'run.completed', status: 'interrupted' }))).toBe('tone-bad');
    expect(eventTone(loose({ type: 'review.iteration', verdict: 'rejected' }))).toBe('tone-warn');
    expect(eventTone(loose({ type: 'acceptance.iteration', failed: 0 }))).toBe('tone-good');
    expect(eventTone(loose({ type: 'stage.started' }))).toBe('tone-start');
    expect(eventTone(loose({ type: 'stage.output' }))).toBe('');
  });
});

describe('durations and times', () => {
  it('formats seconds, minutes and hours', () => {
    expect(formatDuration(1234)).toBe('1.2 s');
    expect(formatDuration(75_000)).toBe('1 min 15 s');
    expect(formatDuration(64_600)).toBe('1 min 05 s'); // once '1 min 04 s' here, '1 min 05 s' live
    expect(formatDuration(3_725_000)).toBe('1 h 02 min');
    expect(formatDuration(-1)).toBe('');
  });

  it('times an event from the run start', () => {
    expect(relativeTime(completeRun[3]!, completeRun[0])).toBe('+3.0s');
    expect(relativeTime(loose({ type: 'x', ts: 'garbled' }), completeRun[0])).toBe('garbled');
  });

  it('cuts a long first line', () => {
    expect(firstLine('a\nb')).toBe('a');
    expect(firstLine('x'.repeat(200))).toHaveLength(120);
  });
});

describe('stageMeta and stageDuration', () => {
  const stage = (fields: Partial<StageView>): StageView => ({
    id: 'S', name: 'S', agent: null, reviewAgent: null, kind: 'review', group: null, status: 'pending', ...fields,
  });

  it('says who runs a stage, in which iteration, and how it went', () => {
    expect(stageMeta(stage({ status: 'running', runningAgent: 'ba', role: 'review', iteration: 2, maxIterations: 4, lastVerdict: 'rejected' })))
      .toBe('ba · review · iteration 2/4 · rejected');
    expect(stageMeta(stage({ status: 'failed', error: 'crashed' }))).toBe('crashed');
    expect(stageMeta(stage({ status: 'completed', completedEarlier: true }))).toBe('completed earlier');
    expect(stageMeta(stage({ status: 'completed', acceptance: { passed: 3, failed: 0, total: 3 } }))).toBe('3/3 passed');
  });

  it('counts a running stage up to now and shows an ended one as measured', () => {
    expect(stageDuration(stage({ status: 'running', startedAt: 1000 }), 3000)).toBe('2.0 s');
    expect(stageDuration(stage({ status: 'completed', durationMs: 500 }), 0)).toBe('0.5 s');
    expect(stageDuration(stage({ status: 'pending' }), 0)).toBe('');
  });
});
