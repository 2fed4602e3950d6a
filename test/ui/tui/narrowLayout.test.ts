import { describe, expect, it } from 'vitest';
import type { StageView } from '../../../ui/run-view/runViewModel.js';
import { displayWidth } from '../../../ui/tui/format.js';
import { fitSegments } from '../../../ui/tui/segments.js';
import { planColumns } from '../../../ui/tui/stageListLayout.js';
import { stageRowSegments } from '../../../ui/tui/stageRowSegments.js';

const NOW = 1_700_000_100_000;
const stage = (id: string, fields: Partial<StageView> = {}): StageView =>
  ({ id, name: id, agent: 'builder-1', reviewAgent: null, kind: 'work', group: null, status: 'pending', ...fields });

const stages: StageView[] = [
  stage('SPEC_REVIEW', {
    kind: 'review', agent: 'ba', reviewAgent: 'reviewer', status: 'running', startedAt: NOW - 5_000,
    iteration: 2, maxIterations: 4, lastVerdict: 'rejected', lastLine: 'reading the spec again, section by section',
  }),
  stage('RESEARCH', { status: 'running', startedAt: NOW - 12_000, lastLine: 'reading the docs of the settings page' }),
  stage('IMPLEMENTATION_REVIEW', { kind: 'review', reviewAgent: 'reviewer', status: 'failed', error: 'review failed after 4 iterations' }),
  stage('ACCEPTANCE_TEST', { kind: 'acceptance_test', agent: 'tester', status: 'completed', durationMs: 3_000, iteration: 2, acceptance: { passed: 11, failed: 1, total: 12 } }),
  stage('PLAN', { status: 'completed', durationMs: 900 }),
];

/** Each stage's row as the terminal shows it at `width` columns. */
function rows(width: number): Record<string, string> {
  const columns = planColumns(stages, width);
  return Object.fromEntries(stages.map((row) => {
    const segments = fitSegments(stageRowSegments(row, { now: NOW, focused: false, gutter: ' ', width, ...columns }), width);
    return [row.id, segments.map((segment) => segment.text).join('').trimEnd()];
  }));
}

describe('stage rows on narrow terminals', () => {
  it.each([40, 60, 80, 120])('keeps every status mark, the verdict and the acceptance counts at %i columns', (width) => {
    const shown = rows(width);
    for (const line of Object.values(shown)) expect(displayWidth(line)).toBeLessThanOrEqual(width);
    expect(shown.SPEC_REVIEW).toMatch(/^ {3}[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] SPEC_REVIEW\b.*\brejected\b/);
    expect(shown.IMPLEMENTATION_REVIEW).toMatch(/^ {3}✗ IMPLEMENTATION_REVIEW\b.*\s{2}review f/);
    expect(shown.ACCEPTANCE_TEST).toMatch(/^ {3}✓ ACCEPTANCE_TEST\b.*passed 11\/12/);
    expect(shown.PLAN).toMatch(/^ {3}✓ PLAN\b/);
  });

  it('drops the agent column first, keeping stage names whole', () => {
    expect(planColumns(stages, 40)).toEqual({ idWidth: 21, agentWidth: 0 });
    expect(rows(40).SPEC_REVIEW).not.toMatch(/reviewer/);
    expect(rows(60).SPEC_REVIEW).toMatch(/ba ⇄ reviewer/);
    expect(planColumns(stages, 60).idWidth).toBe(21);
    // Only when even the name does not fit without agents is it cut.
    expect(planColumns(stages, 30)).toEqual({ idWidth: 11, agentWidth: 0 });
  });

  it('drops the output preview, then timings and the iteration, before the verdict', () => {
    expect(rows(120).SPEC_REVIEW).toMatch(/iteration 2\/4 · rejected · 5 s · reading the spec/);
    expect(rows(60).SPEC_REVIEW).toMatch(/rejected$/);
    expect(rows(60).SPEC_REVIEW).not.toMatch(/reading/);
    expect(rows(80).RESEARCH).toMatch(/12 s · reading the docs/);
    expect(rows(40).RESEARCH).toMatch(/RESEARCH\s+12 s$/);
  });
});

describe('a stage of an isolated group, once merged', () => {
  it('says what its merge changed in the project, at a width that leaves room', () => {
    const merged = stage('BACKEND', { group: 'build', status: 'completed', durationMs: 1_200, mergedFiles: [{ path: 'server/api.ts', change: 'added' }] });
    const columns = planColumns([merged], 120);
    const line = fitSegments(stageRowSegments(merged, { now: NOW, focused: false, gutter: '│', width: 120, ...columns }), 120)
      .map((segment) => segment.text).join('').trimEnd();
    expect(line).toMatch(/✓ BACKEND\b.*1\.2 s.*merged: 1 file changed \(server\/api\.ts\)$/);
  });
});
