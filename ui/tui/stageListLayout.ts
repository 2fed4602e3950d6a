import type { GroupView, RunView, StageView } from '../run-view/runViewModel.js';
import { displayWidth } from './format.js';

/** One block of the stage list: a lone stage, or a parallel group drawn as one block. */
export type StageListEntry =
  | { readonly kind: 'stage'; readonly stage: StageView }
  | { readonly kind: 'group'; readonly group: GroupView; readonly stages: readonly StageView[] };

/** What StageList draws: the entries that fit, how many stages are cut off, and the column widths. */
export interface StageListPlan {
  readonly entries: readonly StageListEntry[];
  readonly hiddenAbove: number;
  readonly hiddenBelow: number;
  /** Stage id column, in terminal columns (shared by every row so they line up). */
  readonly idWidth: number;
  /** Agent column; 0 when the terminal is too narrow for it (dropped first, before any status). */
  readonly agentWidth: number;
  /** Lines the list takes on screen. */
  readonly rows: number;
}

/** Lines an entry takes: a group has a title line and a closing line around its rows. */
export function entryRows(entry: StageListEntry): number {
  return entry.kind === 'stage' ? 1 : entry.stages.length + 2;
}

/** The agents column text of a stage: `ba ⇄ reviewer` for reviews, `—` when none. */
export function agentsLabel(stage: StageView): string {
  if (stage.kind === 'review' && stage.reviewAgent) return `${stage.agent ?? '—'} ⇄ ${stage.reviewAgent}`;
  return stage.agent ?? '—';
}

/**
 * Stages in run order, each parallel group gathered into one entry at its
 * first member's place.
 */
export function stageListEntries(view: Pick<RunView, 'stages' | 'groups'>): StageListEntry[] {
  const groups = new Map(view.groups.map((group) => [group.id, group]));
  const entries: StageListEntry[] = [];
  const placed = new Set<string>();
  for (const stage of view.stages) {
    const group = stage.group === null ? undefined : groups.get(stage.group);
    if (!group) {
      entries.push({ kind: 'stage', stage });
    } else if (!placed.has(group.id)) {
      placed.add(group.id);
      entries.push({ kind: 'group', group, stages: view.stages.filter((member) => member.group === group.id) });
    }
  }
  return entries;
}

/**
 * Chooses what of the stage list fits in `maxRows` lines, keeping the entry
 * holding `anchorStage` (the focused or shown stage) in sight; the columns
 * are sized for `width` so the details keep some room.
 */
export function planStageList(
  view: Pick<RunView, 'stages' | 'groups'>,
  anchorStage: string | null,
  maxRows: number,
  width: number,
): StageListPlan {
  const all = stageListEntries(view);
  const { idWidth, agentWidth } = planColumns(view.stages, width);
  const total = all.reduce((sum, entry) => sum + entryRows(entry), 0);
  if (total <= maxRows) return { entries: all, hiddenAbove: 0, hiddenBelow: 0, idWidth, agentWidth, rows: total };

  const anchor = Math.max(0, all.findIndex((entry) => holds(entry, anchorStage)));
  let start = anchor;
  let end = anchor + 1;
  // Two lines go to the "more above / below" notes.
  let used = entryRows(all[anchor]!) + 2;
  for (let grown = true; grown; ) {
    grown = false;
    const below = all[end];
    if (below && used + entryRows(below) <= maxRows) {
      used += entryRows(below);
      end++;
      grown = true;
    }
    const above = all[start - 1];
    if (above && used + entryRows(above) <= maxRows) {
      used += entryRows(above);
      start--;
      grown = true;
    }
  }
  const count = (entries: readonly StageListEntry[]) => entries.reduce((sum, entry) => sum + (entry.kind === 'stage' ? 1 : entry.stages.length), 0);
  const hiddenAbove = count(all.slice(0, start));
  const hiddenBelow = count(all.slice(end));
  const entries = all.slice(start, end);
  const rows = entries.reduce((sum, entry) => sum + entryRows(entry), 0) + (hiddenAbove > 0 ? 1 : 0) + (hiddenBelow > 0 ? 1 : 0);
  return { entries, hiddenAbove, hiddenBelow, idWidth, agentWidth, rows };
}

/** Columns before the stage id: gutter, focus mark, status mark and a space. */
export const ROW_PREFIX_COLUMNS = 5;
/** Columns between the row's columns. */
export const COLUMN_GAP = 2;
/**
 * Columns a row keeps for its status details, enough for what must never be
 * cut: a verdict (`rejected`), acceptance counts (`passed 12/12`).
 */
export const STATUS_COLUMNS = 12;

/**
 * The id and agent column widths for `width` columns. What gives way on a
 * narrow terminal, in order: the agent column (dropped whole), then the id
 * (cut); the status details keep STATUS_COLUMNS, and within them
 * stageRowSegments drops the output preview and the timings before a verdict.
 *
 * @example planColumns(stages, 40) // { idWidth: 21, agentWidth: 0 }: IMPLEMENTATION_REVIEW whole, no agents
 */
export function planColumns(stages: readonly StageView[], width: number): { idWidth: number; agentWidth: number } {
  const longestId = Math.max(0, ...stages.map((stage) => displayWidth(stage.id)));
  // Ids are cut only when they do not fit even without the agent column.
  const idWidth = Math.min(longestId, Math.max(6, width - ROW_PREFIX_COLUMNS - COLUMN_GAP - STATUS_COLUMNS));
  const agentWidth = Math.min(Math.max(0, ...stages.map((stage) => displayWidth(agentsLabel(stage)))), Math.max(8, Math.floor(width / 4)));
  const fits = ROW_PREFIX_COLUMNS + idWidth + COLUMN_GAP + agentWidth + COLUMN_GAP + STATUS_COLUMNS <= width;
  return { idWidth, agentWidth: fits ? agentWidth : 0 };
}

function holds(entry: StageListEntry, stageId: string | null): boolean {
  if (stageId === null) return false;
  return entry.kind === 'stage' ? entry.stage.id === stageId : entry.stages.some((stage) => stage.id === stageId);
}
