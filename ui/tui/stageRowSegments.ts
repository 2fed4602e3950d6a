import type { StageView, StageViewStatus } from '../run-view/runViewModel.js';
import { agentColor } from './agentColor.js';
import { formatDuration, formatElapsed } from '../text/duration.js';
import { oneLine } from './format.js';
import { padSegments, type Segment } from './segments.js';
import { spinnerFrame } from './spinner.js';

/** What a row needs besides its stage; see StageRow for each field. */
export interface StageRowLayout {
  readonly now: number;
  readonly focused: boolean;
  readonly gutter: string;
  readonly idWidth: number;
  readonly agentWidth: number;
}

/** Each status's mark and colour; the mark alone tells the status when colours are off. */
const MARKS: Readonly<Record<Exclude<StageViewStatus, 'running'>, { readonly mark: string; readonly color?: string; readonly dim?: boolean }>> = {
  pending: { mark: '·', dim: true },
  completed: { mark: '✓', color: 'green' },
  failed: { mark: '✗', color: 'red' },
  skipped: { mark: '↷', dim: true },
  aborted: { mark: '■', color: 'yellow' },
};

const GAP: Segment = { text: '  ' };
const SEPARATOR: Segment = { text: ' · ', dim: true };

/**
 * One stage as a styled line, before fitting to the width:
 * `│› ⠋ SPEC_REVIEW   ba ⇄ reviewer  iteration 2/4 · rejected · 12 s  last line`.
 */
export function stageRowSegments(stage: StageView, layout: StageRowLayout): Segment[] {
  const quiet = stage.status === 'pending' || stage.status === 'skipped';
  const mark: Segment = stage.status === 'running'
    ? { text: spinnerFrame(layout.now), color: 'cyan' }
    : { text: MARKS[stage.status].mark, ...pick(MARKS[stage.status]) };
  return [
    { text: layout.gutter, dim: true },
    { text: layout.focused ? '› ' : '  ', bold: true },
    mark,
    { text: ' ' },
    ...padSegments([{ text: stage.id, dim: quiet, bold: layout.focused, inverse: layout.focused }], layout.idWidth),
    GAP,
    ...padSegments(agentSegments(stage, quiet), layout.agentWidth),
    GAP,
    ...joined(detailSegments(stage, layout.now)),
  ];
}

function pick(style: { readonly color?: string; readonly dim?: boolean }): Pick<Segment, 'color' | 'dim'> {
  return { ...(style.color ? { color: style.color } : {}), ...(style.dim ? { dim: true } : {}) };
}

/** Agent names in their own colours; a review shows the work agent ⇄ the reviewer. */
function agentSegments(stage: StageView, quiet: boolean): Segment[] {
  const name = (agent: string | null): Segment => (agent === null ? { text: '—', dim: true } : { text: agent, color: agentColor(agent), dim: quiet });
  if (stage.kind === 'review' && stage.reviewAgent) return [name(stage.agent), { text: ' ⇄ ', dim: true }, name(stage.reviewAgent)];
  return [name(stage.agent)];
}

/** The status-specific facts, each a group of segments, most important first (the tail gets cut). */
function detailSegments(stage: StageView, now: number): Segment[][] {
  const details: Segment[][] = [];
  if (stage.kind === 'review' && stage.iteration !== undefined) {
    const limit = stage.maxIterations !== undefined ? `/${stage.maxIterations}` : '';
    details.push([{ text: `iteration ${stage.iteration}${limit}` }]);
    if (stage.lastVerdict) details.push([{ text: stage.lastVerdict, color: stage.lastVerdict === 'approved' ? 'green' : 'yellow' }]);
  }
  if (stage.kind === 'acceptance_test') {
    if (stage.iteration !== undefined) details.push([{ text: `round ${stage.iteration}` }]);
    if (stage.acceptance) {
      const { passed, failed, total } = stage.acceptance;
      details.push([{ text: `passed ${passed}/${total}`, color: failed > 0 ? 'yellow' : 'green' }]);
    }
  }
  switch (stage.status) {
    case 'running':
      if (stage.startedAt !== undefined) details.push([{ text: formatElapsed(now - stage.startedAt) }]);
      if (stage.lastLine) details.push([{ text: oneLine(stage.lastLine), dim: true }]);
      break;
    case 'completed': {
      const duration = stage.durationMs ?? (stage.startedAt !== undefined && stage.endedAt !== undefined ? stage.endedAt - stage.startedAt : undefined);
      if (stage.completedEarlier) details.push([{ text: 'done earlier', dim: true }]);
      else if (duration !== undefined) details.push([{ text: formatDuration(duration) }]);
      break;
    }
    case 'failed':
      details.push([{ text: stage.error ? oneLine(stage.error) : 'failed', color: 'red' }]);
      break;
    case 'skipped':
      details.push([{ text: 'skipped', dim: true }]);
      break;
    case 'aborted':
      // A fail_fast sibling's abort says 'aborted'; a stage the run stopped under says why (interruptedBy).
      details.push([{ text: stage.error ?? 'aborted', color: 'yellow' }]);
      break;
    case 'pending':
      break;
  }
  return details;
}

function joined(groups: readonly Segment[][]): Segment[] {
  return groups.flatMap((group, index) => (index === 0 ? group : [SEPARATOR, ...group]));
}
