/**
 * What the terminal UI shows, derived from the run's events alone (the same
 * RunEvents that go to events.jsonl and the plain reporter), so every view
 * renders the same facts and can be tested on recorded runs.
 */

import type { AgentRole } from '../../machines/runners/agentRunner.js';

/** Every stage status the reducer gives, for code that must handle each (ui/text/stageWords.ts words them). */
export const STAGE_VIEW_STATUSES = ['pending', 'running', 'completed', 'failed', 'skipped', 'aborted'] as const;

export type StageViewStatus = typeof STAGE_VIEW_STATUSES[number];

/** Every group status the reducer gives. */
export const GROUP_VIEW_STATUSES = ['pending', 'running', 'completed', 'failed'] as const;

export type GroupViewStatus = typeof GROUP_VIEW_STATUSES[number];

export interface StageView {
  readonly id: string;
  readonly name: string;
  /** Agent doing the work (review stages: the work agent). */
  readonly agent: string | null;
  readonly reviewAgent: string | null;
  readonly kind: 'work' | 'review' | 'acceptance_test' | 'terminal';
  /** The parallel group it belongs to, if any. */
  readonly group: string | null;
  readonly status: StageViewStatus;
  /**
   * The role its agent plays in its latest start (work, review, acceptance or
   * fix): a rejected review sends it back to work, a failed acceptance round
   * to a fix. Undefined until it starts.
   */
  readonly role?: AgentRole;
  /** The agent its latest start runs (the reviewer while it reviews); undefined until it starts. */
  readonly runningAgent?: string | null;
  /** Its latest start was a resume restarting it. */
  readonly resumed?: boolean;
  /** Epoch ms of the stage's (first) start in this session; undefined until it starts. */
  readonly startedAt?: number;
  /** Epoch ms when it ended. */
  readonly endedAt?: number;
  readonly durationMs?: number;
  readonly error?: string;
  /** Review stages: the current iteration and the limit; acceptance: the current round. */
  readonly iteration?: number;
  readonly maxIterations?: number;
  readonly lastVerdict?: 'approved' | 'rejected';
  /** Acceptance stage: the last round's counts. */
  readonly acceptance?: { readonly passed: number; readonly failed: number; readonly total: number };
  /** A stage of an isolated group, once merged: the files its worktree changed in the project. */
  readonly mergedFiles?: readonly { readonly path: string; readonly change: string }[];
  /** The latest line the agent printed. */
  readonly lastLine?: string;
  /** True when the stage was completed before this session (resume) and so has no timing. */
  readonly completedEarlier?: boolean;
  /**
   * With status `aborted`: the run stopped under it (cancelled, timed out,
   * failed elsewhere), rather than a fail_fast sibling's failure; `error` says
   * how the run ended (stageWords interruptedBy). stageWords.stageState words both.
   */
  readonly interrupted?: boolean;
}

export interface GroupView {
  readonly id: string;
  readonly stages: readonly string[];
  readonly onFailure: 'let_finish' | 'fail_fast';
  /** `isolation: worktree`: each stage works in its own git worktree, merged back at the end. */
  readonly isolated?: boolean;
  readonly status: GroupViewStatus;
  /** With status `completed`: every stage of it completed before this session (resume). */
  readonly completedEarlier?: boolean;
  /** With status `failed`: the run stopped while it ran, rather than a stage of it failing. */
  readonly interrupted?: boolean;
  /** Epoch ms when it started in this session (or its first stage restarted, resuming a snapshot). */
  readonly startedAt?: number;
  readonly endedAt?: number;
}

export interface RunView {
  readonly title: string;
  readonly feature: string;
  readonly runner: string;
  /** Epoch ms when this session started. */
  readonly startedAt: number;
  /** Seconds of earlier sessions (resume). */
  readonly elapsedBefore: number;
  readonly maxSeconds: number;
  /** Stages in run order. */
  readonly stages: readonly StageView[];
  readonly groups: readonly GroupView[];
  /** Bounded tail of each stage's output (the last OUTPUT_LINES_KEPT lines). */
  readonly output: Readonly<Record<string, readonly string[]>>;
  readonly status: 'running' | 'cancelling' | 'complete' | 'cancelled' | 'timeout' | 'error' | 'review_failed' | 'acceptance_test_failed';
  readonly error?: string;
  readonly endedAt?: number;
  /** While cancelling: how many agent process trees are still being stopped. */
  readonly stoppingAgents?: number;
}

/** Lines of output kept per stage; older lines are dropped (events.jsonl keeps them all). */
export const OUTPUT_LINES_KEPT = 500;
