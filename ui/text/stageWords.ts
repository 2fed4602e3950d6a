// Words for what happened to a stage and to a parallel group, the same in every view (live,
// plain, summary, status, inspector): each state's word, its mark and its tone. Pure, no Node
// or DOM APIs: the inspector page's bundle includes it.
import type { GroupView, StageView } from '../run-view/runViewModel.js';

/**
 * What a stage is, as every view says it: its view status refined by when it
 * completed and why it stopped.
 * - `completed`: in this session; `completed_earlier`: before it (resume).
 * - `interrupted`: the run stopped under it (cancelled, timed out, failed elsewhere).
 * - `aborted`: a fail_fast sibling's failure stopped it.
 */
export type StageState =
  | 'pending' | 'running' | 'completed' | 'completed_earlier' | 'failed' | 'skipped' | 'interrupted' | 'aborted';

/**
 * What a parallel group is: `completed_earlier` when all its stages completed
 * before this session, `interrupted` when the run stopped while it ran.
 */
export type GroupState = 'pending' | 'running' | 'completed' | 'completed_earlier' | 'failed' | 'interrupted';

/** A colour for a mark or word; `dim` is the quiet grey. Chalk and Ink know these names. */
export type StateTone = 'green' | 'red' | 'yellow' | 'cyan' | 'dim';

/** How a state is shown: the word, a one-column mark that tells it without colour, its tone. */
export interface StateLook {
  readonly word: string;
  readonly mark: string;
  readonly tone: StateTone;
}

/** Every stage state's word and mark (the live view animates `running`'s mark). */
export const STAGE_STATES: Readonly<Record<StageState, StateLook>> = {
  pending: { word: 'pending', mark: '·', tone: 'dim' },
  running: { word: 'running', mark: '▸', tone: 'cyan' },
  completed: { word: 'completed', mark: '✓', tone: 'green' },
  completed_earlier: { word: 'completed earlier', mark: '✓', tone: 'dim' },
  failed: { word: 'failed', mark: '✗', tone: 'red' },
  skipped: { word: 'skipped', mark: '↷', tone: 'dim' },
  interrupted: { word: 'interrupted', mark: '■', tone: 'yellow' },
  aborted: { word: 'aborted', mark: '⊘', tone: 'yellow' },
};

/** Every group state's word and mark; a running group's word adds how far it is (groupWord). */
export const GROUP_STATES: Readonly<Record<GroupState, StateLook>> = {
  pending: { word: 'pending', mark: '·', tone: 'dim' },
  running: { word: 'running', mark: '▸', tone: 'cyan' },
  completed: { word: 'completed', mark: '✓', tone: 'green' },
  completed_earlier: { word: 'completed earlier', mark: '✓', tone: 'dim' },
  failed: { word: 'failed', mark: '✗', tone: 'red' },
  interrupted: { word: 'interrupted', mark: '■', tone: 'yellow' },
};

/** A stage a stopped run left unfinished: it ran when the run was cancelled, timed out or failed elsewhere. */
export const INTERRUPTED = STAGE_STATES.interrupted.word;

/** Why an aborted stage stopped, where a view has room to say it. */
export const ABORTED_BECAUSE = 'a fail_fast sibling failed';

/**
 * What a view says of a stage the run stopped under it.
 *
 * @example interruptedBy('cancelled') // 'interrupted (cancelled)'
 */
export function interruptedBy(runStatus: string): string {
  return `${INTERRUPTED} (${runStatus})`;
}

/**
 * A stage's state, from the run-view reducer's stage.
 *
 * @example stageState({ status: 'completed', completedEarlier: true }) // 'completed_earlier'
 */
export function stageState(stage: Pick<StageView, 'status' | 'completedEarlier' | 'interrupted'>): StageState {
  if (stage.status === 'completed' && stage.completedEarlier) return 'completed_earlier';
  if (stage.status === 'aborted' && stage.interrupted) return 'interrupted';
  return stage.status;
}

/**
 * A group's state, from the run-view reducer's group.
 *
 * @example groupState({ status: 'completed', completedEarlier: true }) // 'completed_earlier'
 */
export function groupState(group: Pick<GroupView, 'status' | 'completedEarlier' | 'interrupted'>): GroupState {
  if (group.status === 'completed' && group.completedEarlier) return 'completed_earlier';
  if (group.status === 'failed' && group.interrupted) return 'interrupted';
  return group.status;
}

/**
 * The word for a stage's state.
 *
 * @example stageWord({ status: 'aborted', interrupted: true }) // 'interrupted'
 */
export function stageWord(stage: Pick<StageView, 'status' | 'completedEarlier' | 'interrupted'>): string {
  return STAGE_STATES[stageState(stage)].word;
}

/**
 * The word for a group's state; a running group says how many of its stages are done.
 *
 * @example groupWord(group, view.stages) // 'running (1 of 2 done)'
 */
export function groupWord(
  group: Pick<GroupView, 'id' | 'status' | 'completedEarlier' | 'interrupted'>,
  stages: readonly Pick<StageView, 'group' | 'status'>[],
): string {
  const state = groupState(group);
  if (state !== 'running') return GROUP_STATES[state].word;
  const members = stages.filter((stage) => stage.group === group.id);
  const done = members.filter((stage) => stage.status === 'completed').length;
  return `running (${done} of ${members.length} done)`;
}

/** A mark as the live view styles it (structurally a ui/tui Segment). */
export interface MarkSegment {
  readonly text: string;
  readonly color?: string;
  readonly dim?: boolean;
}

/**
 * A stage's or group's mark with its tone, for the live view.
 *
 * @example markSegment(STAGE_STATES[stageState(stage)]) // { text: '✓', color: 'green' }
 */
export function markSegment(look: StateLook, text = look.mark): MarkSegment {
  return look.tone === 'dim' ? { text, dim: true } : { text, color: look.tone };
}

/**
 * The mark for a state named by its key (a state file's stage status); `?` for one this version does not know.
 *
 * @example markOfState('interrupted') // '■'
 */
export function markOfState(state: string): string {
  return Object.hasOwn(STAGE_STATES, state) ? STAGE_STATES[state as StageState].mark : '?';
}

/**
 * A group's mark and word as one styled piece, for a group's title line.
 *
 * @example groupHeadline(group, view.stages) // { text: '▸ running (1 of 2 done)', color: 'cyan' }
 */
export function groupHeadline(
  group: Pick<GroupView, 'id' | 'status' | 'completedEarlier' | 'interrupted'>,
  stages: readonly Pick<StageView, 'group' | 'status'>[],
): MarkSegment {
  const look = GROUP_STATES[groupState(group)];
  return markSegment(look, `${look.mark} ${groupWord(group, stages)}`);
}
