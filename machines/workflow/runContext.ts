import type { RunStatus } from '../../loader/runStatuses.js';
import type { AcceptanceResult } from '../runners/agentRunner.js';

/** How a run ended, or `in_progress` (loader/runStatuses.ts). */
export type { RunStatus };

export type StageStatus = 'pending' | 'running' | 'completed' | 'failed' | 'skipped' | 'aborted';

/** What the run knows about one stage. JSON only: it is persisted with the snapshot. */
export interface StageRecord {
  readonly status: StageStatus;
  readonly output?: string;
  readonly error?: string;
  /** Review stages: the current iteration; acceptance stage: the current round. 1-based. */
  readonly iteration?: number;
  /** Review stages: the last rejection, fed into the next work prompt. */
  readonly feedback?: string;
  /** Review stages: the work output under review. */
  readonly workOutput?: string;
}

export interface AcceptanceRound extends AcceptanceResult {
  readonly iteration: number;
}

/** The machine's context: plain JSON, no handles or functions, so snapshots persist. */
export interface RunContext {
  readonly stages: Readonly<Record<string, StageRecord>>;
  /** Optional stages the user asked to skip. */
  readonly skip: readonly string[];
  readonly acceptance: {
    readonly passed: boolean;
    readonly iterations: number;
    readonly history: readonly AcceptanceRound[];
  };
  readonly status: RunStatus;
  /** Stages whose failure ended the run. */
  readonly failedStages: readonly string[];
  /** Why the run stopped, for people. */
  readonly error: string | null;
  /**
   * Parallel groups entered with every stage already complete (resume): they
   * emit no group events. Absent in snapshots of older versions.
   */
  readonly groupsCompletedEarlier?: readonly string[];
  /** Groups with `isolation: worktree`, by id: where their stages work and what is merged back. */
  readonly worktrees?: Readonly<Record<string, GroupWorktrees>>;
}

/**
 * An isolated group's git state, checkpointed with the run: the commit its
 * worktrees were made from, each stage's worktree, and the stages whose
 * changes are in the project already (in stage_order), so a resume neither
 * loses a region's work nor applies it twice.
 */
export interface GroupWorktrees {
  readonly base: string;
  readonly regions: Readonly<Record<string, { readonly path: string }>>;
  readonly merged: readonly string[];
}

/** What a run starts from: nothing, or what an earlier run (or a legacy state file) completed. */
export interface RunInput {
  readonly completed?: Readonly<Record<string, { readonly output?: string }>>;
  readonly skip?: readonly string[];
  readonly acceptancePassed?: boolean;
  /** Isolated groups an earlier run prepared: resume merges their completed, unmerged stages. */
  readonly worktrees?: Readonly<Record<string, GroupWorktrees>>;
}

export function initialRunContext(stageIds: readonly string[], input: RunInput = {}): RunContext {
  const stages: Record<string, StageRecord> = {};
  for (const id of stageIds) {
    const completed = input.completed?.[id];
    stages[id] = completed
      ? { status: 'completed', ...(completed.output !== undefined ? { output: completed.output } : {}) }
      : { status: 'pending' };
  }
  return {
    stages,
    skip: [...(input.skip ?? [])],
    acceptance: { passed: input.acceptancePassed ?? false, iterations: 0, history: [] },
    status: 'in_progress',
    failedStages: [],
    error: null,
    ...(input.worktrees ? { worktrees: input.worktrees } : {}),
  };
}

/**
 * The stage records with one replaced by a new record merged with `update`.
 *
 * The map is updated in place and returned: copying it for every change cost
 * O(stages) per update, O(stages²) per run (a third of a 1,000-stage run's
 * time). Records stay immutable, a new object for every change, so whoever
 * keeps a record (the checkpoint builder compares them by identity) sees it
 * as it was; whoever needs the map as it was at a moment copies it.
 */
export function withStage(context: RunContext, stage: string, update: Partial<StageRecord>): RunContext['stages'] {
  const stages = context.stages as Record<string, StageRecord> & { [CHANGED]?: Set<string> };
  stages[stage] = { ...(stages[stage] ?? { status: 'pending' }), ...update };
  if (!Object.hasOwn(stages, CHANGED)) Object.defineProperty(stages, CHANGED, { value: new Set<string>(), enumerable: false });
  stages[CHANGED]!.add(stage);
  return stages;
}

/**
 * The ids of the records withStage replaced since the last call, which
 * forgets them; undefined when it cannot tell (a map withStage never
 * updated, such as one restored from a snapshot). A checkpoint saves those
 * stages only, instead of comparing every stage's record. Kept under a symbol,
 * not enumerable: never persisted, copied or compared.
 */
export function takeChangedStages(stages: RunContext['stages']): ReadonlySet<string> | undefined {
  const changed = (stages as { [CHANGED]?: Set<string> })[CHANGED];
  if (changed === undefined) return undefined;
  const taken = new Set(changed);
  changed.clear();
  return taken;
}

const CHANGED = Symbol('stages changed since the last checkpoint');
