import { mergedFilesText } from '../text/eventDescription.js';
import type { StageView } from '../run-view/runViewModel.js';
import { agentColor } from './agentColor.js';
import { formatDuration, formatElapsed } from '../text/duration.js';
import { oneLine } from './format.js';
import { padSegments, segmentsWidth, type Segment } from './segments.js';
import { COLUMN_GAP, ROW_PREFIX_COLUMNS } from './stageListLayout.js';
import { spinnerFrame } from './spinner.js';
import { markSegment, STAGE_STATES, stageState, stageWord } from '../text/stageWords.js';

/** What a row needs besides its stage; see StageRow for each field. */
export interface StageRowLayout {
  readonly now: number;
  readonly focused: boolean;
  readonly gutter: string;
  readonly idWidth: number;
  /** 0: no agent column (a narrow terminal). */
  readonly agentWidth: number;
  /** Columns of the whole row: details that do not fit are dropped by priority (default: no limit). */
  readonly width?: number;
}

/**
 * A detail's place when room is short: `always` stays (the status, a verdict,
 * counts; cut only at the very end), `ifRoom` goes first from the end
 * (timings, iteration), `preview` (the agent's latest line) is cut to fit or
 * dropped before anything else.
 */
type DetailPriority = 'always' | 'ifRoom' | 'preview';
interface Detail {
  readonly segments: Segment[];
  readonly keep: DetailPriority;
}

/** A preview narrower than this says nothing: it is dropped instead. */
const MIN_PREVIEW_COLUMNS = 8;

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
    : markSegment(STAGE_STATES[stageState(stage)]);
  return [
    { text: layout.gutter, dim: true },
    { text: layout.focused ? '› ' : '  ', bold: true },
    mark,
    { text: ' ' },
    ...padSegments([{ text: stage.id, dim: quiet, bold: layout.focused, inverse: layout.focused }], layout.idWidth),
    GAP,
    ...(layout.agentWidth > 0 ? [...padSegments(agentSegments(stage, quiet), layout.agentWidth), GAP] : []),
    ...joined(fitDetails(detailSegments(stage, layout.now), (layout.width ?? Infinity) - detailsStart(layout)).map((detail) => detail.segments)),
  ];
}

/** The column where the details start. */
function detailsStart(layout: StageRowLayout): number {
  return ROW_PREFIX_COLUMNS + layout.idWidth + COLUMN_GAP + (layout.agentWidth > 0 ? layout.agentWidth + COLUMN_GAP : 0);
}

/**
 * Drops details that do not fit in `columns`, least important first (see
 * DetailPriority): timings and iteration from the end until the rest fits,
 * then the preview unless it keeps MIN_PREVIEW_COLUMNS (it is cut to fit).
 */
function fitDetails(details: readonly Detail[], columns: number): Detail[] {
  const widthOf = (list: readonly Detail[]) => segmentsWidth(joined(list.map((detail) => detail.segments)));
  const kept = details.filter((detail) => detail.keep !== 'preview');
  while (widthOf(kept) > columns) {
    const last = kept.findLastIndex((detail) => detail.keep === 'ifRoom');
    if (last < 0) break;
    kept.splice(last, 1);
  }
  const preview = details.find((detail) => detail.keep === 'preview');
  const separator = kept.length > 0 ? SEPARATOR.text.length : 0;
  return preview && columns - widthOf(kept) - separator >= MIN_PREVIEW_COLUMNS ? [...kept, preview] : kept;
}

/** Agent names in their own colours; a review shows the work agent ⇄ the reviewer. */
function agentSegments(stage: StageView, quiet: boolean): Segment[] {
  const name = (agent: string | null): Segment => (agent === null ? { text: '—', dim: true } : { text: agent, color: agentColor(agent), dim: quiet });
  if (stage.kind === 'review' && stage.reviewAgent) return [name(stage.agent), { text: ' ⇄ ', dim: true }, name(stage.reviewAgent)];
  return [name(stage.agent)];
}

/** The status-specific facts, each a group of segments, most important first (the tail gets cut). */
function detailSegments(stage: StageView, now: number): Detail[] {
  const details: Detail[] = [];
  const add = (keep: DetailPriority, ...segments: Segment[]) => details.push({ keep, segments });
  if (stage.kind === 'review' && stage.iteration !== undefined) {
    const limit = stage.maxIterations !== undefined ? `/${stage.maxIterations}` : '';
    add('ifRoom', { text: `iteration ${stage.iteration}${limit}` });
    if (stage.lastVerdict) add('always', { text: stage.lastVerdict, color: stage.lastVerdict === 'approved' ? 'green' : 'yellow' });
  }
  if (stage.kind === 'acceptance_test') {
    if (stage.iteration !== undefined) add('ifRoom', { text: `round ${stage.iteration}` });
    if (stage.acceptance) {
      const { passed, failed, total } = stage.acceptance;
      add('always', { text: `passed ${passed}/${total}`, color: failed > 0 ? 'yellow' : 'green' });
    }
  }
  switch (stage.status) {
    case 'running':
      if (stage.startedAt !== undefined) add('ifRoom', { text: formatElapsed(now - stage.startedAt) });
      if (stage.lastLine) add('preview', { text: oneLine(stage.lastLine), dim: true });
      break;
    case 'completed': {
      const duration = stage.durationMs ?? (stage.startedAt !== undefined && stage.endedAt !== undefined ? stage.endedAt - stage.startedAt : undefined);
      if (stage.completedEarlier) add('ifRoom', { text: stageWord(stage), dim: true });
      else if (duration !== undefined) add('ifRoom', { text: formatDuration(duration) });
      break;
    }
    case 'failed':
      add('always', { text: stage.error ? oneLine(stage.error) : 'failed', color: 'red' });
      break;
    case 'skipped':
      add('always', { text: 'skipped', dim: true });
      break;
    case 'aborted':
      // A fail_fast sibling's abort says 'aborted'; a stage the run stopped under says why (interruptedBy).
      add('always', { text: stage.error ?? 'aborted', color: 'yellow' });
      break;
    case 'pending':
      break;
  }
  // A stage of an isolated group, merged from its worktree into the project.
  if (stage.mergedFiles) add('ifRoom', { text: `merged: ${mergedFilesText(stage.mergedFiles)}`, color: 'green' });
  return details;
}

function joined(groups: readonly Segment[][]): Segment[] {
  return groups.flatMap((group, index) => (index === 0 ? group : [SEPARATOR, ...group]));
}
