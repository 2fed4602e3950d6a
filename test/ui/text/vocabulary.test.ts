import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../machines/session/runEvents.js';
import { formatEventLine } from '../../../ui/text/plainReporter.js';
import { renderRunSummary } from '../../../ui/text/runSummary.js';
import { initialRunView, reduceRunView } from '../../../ui/run-view/runView.js';
import { formatDuration, formatElapsed } from '../../../ui/text/duration.js';
import { stageRowSegments } from '../../../ui/tui/stageRowSegments.js';
import { stagesFrom } from '../../support/workflowHarness.js';

/**
 * The views once said the same thing differently: a 64.6 s stage was "1 min 05 s" live,
 * "1 min 5 s" in the summary, "64.6 s" with --no-ui; a cancelled stage was "aborted" live and
 * "interrupted (cancelled)" in the summary. Each view now takes its words from ui/text/.
 */

const stages = stagesFrom(readFileSync(new URL('../../../config/stages.yaml', import.meta.url), 'utf8'));
const T0 = Date.parse('2026-11-23T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const start = () => initialRunView({ stages, title: 'Dark mode', feature: 'dark-mode', runner: 'simulated', startedAt: T0, elapsedBefore: 0, maxSeconds: 3600 });
const summaryOf = (events: readonly RunEvent[]) => renderRunSummary(events.reduce(reduceRunView, start()), {
  width: 100, color: false, paths: { artifacts: 'a/', state: 's.json', events: 'e.jsonl' },
});
const rowText = (events: readonly RunEvent[], id: string) => {
  const stage = events.reduce(reduceRunView, start()).stages.find((candidate) => candidate.id === id)!;
  return stageRowSegments(stage, { now: T0 + 100_000, focused: false, gutter: '  ', idWidth: 24, agentWidth: 12 })
    .map((segment) => segment.text).join('');
};

describe('durations', () => {
  it('are written one way: tenths under a minute, then minutes and two-digit seconds, then hours', () => {
    expect([2_500, 59_940, 64_600, 119_600, 3_720_000].map(formatDuration)).toEqual(['2.5 s', '59.9 s', '1 min 05 s', '2 min 00 s', '1 h 02 min']);
    // A running clock shows the whole seconds gone by, as a clock does.
    expect(formatElapsed(64_600)).toBe('1 min 04 s');
  });

  it('a 64.6 s stage reads "1 min 05 s" in the plain reporter, the summary and the live row alike', () => {
    const events: RunEvent[] = [
      { ts: at(0), type: 'stage.started', stage: 'SPEC', agent: 'ba', role: 'work', iteration: 1 },
      { ts: at(64_600), type: 'stage.completed', stage: 'SPEC', duration_ms: 64_600 },
    ];
    expect(formatEventLine(events[1]!)).toMatch(/SPEC {2}1 min 05 s$/);
    expect(summaryOf(events)).toMatch(/✓ SPEC +1 min 05 s/);
    expect(rowText(events, 'SPEC')).toContain('1 min 05 s');
  });
});

describe('a stage the run stopped under', () => {
  const cancelled: RunEvent[] = [
    { ts: at(0), type: 'stage.started', stage: 'SPEC', agent: 'ba', role: 'work', iteration: 1 },
    { ts: at(5_000), type: 'run.completed', status: 'cancelled', duration_ms: 5_000, elapsed_seconds: 5, error: 'cancelled by the user' },
  ];

  it('is "interrupted (cancelled)" live and in the summary', () => {
    expect(rowText(cancelled, 'SPEC')).toContain('interrupted (cancelled)');
    expect(summaryOf(cancelled)).toMatch(/SPEC +5\.0 s +interrupted \(cancelled\)/);
  });
});
