import type { LoadedRunState } from '../../loader/stateFile.js';
import type { StagesConfig } from '../../loader/stagesSchema.js';
import type { RunInput } from '../workflow/runContext.js';
import type { ResumePoint } from './runSession.js';

export interface ResumePlan {
  readonly point: ResumePoint;
  /** What will be skipped and what will run again, for people, one line each. */
  readonly lines: readonly string[];
}

const STOPPED_WHILE_RUNNING = new Set(['in_progress', 'cancelled', 'timeout']);

/**
 * Decides how to resume a run. An interrupted run (killed, cancelled, timed out)
 * restores its snapshot, which restarts exactly the stages that were running.
 * A run that stopped on a failure, a legacy TeamBot file, a changed
 * configuration or `--rerun` starts a fresh machine that passes through the
 * completed stages, so only what did not complete runs again.
 */
export function planResume(
  state: LoadedRunState,
  stages: StagesConfig,
  options: { rerun?: string; configurationChanged?: boolean } = {},
): ResumePlan {
  const rerunFrom = options.rerun === undefined ? -1 : stages.stage_order.indexOf(options.rerun);
  const completed = Object.fromEntries(Object.entries(state.completed)
    .filter(([stage]) => rerunFrom < 0 || stages.stage_order.indexOf(stage) < rerunFrom));
  const restoreSnapshot = state.machine !== undefined && STOPPED_WHILE_RUNNING.has(state.status)
    && rerunFrom < 0 && !options.configurationChanged;
  const acceptanceStage = stages.stage_order.findIndex((id) => stages.stages[id]?.is_acceptance_test_stage);
  const acceptancePassed = state.acceptancePassed && (rerunFrom < 0 || acceptanceStage < rerunFrom);

  const worktrees = savedWorktrees(state);
  const point: ResumePoint = restoreSnapshot
    ? { snapshot: state.machine, elapsedSeconds: state.elapsedSeconds, durations: durationsOf(state) }
    : {
      // Stages the earlier run skipped stay skipped; isolated groups keep their worktrees and what was merged.
      input: {
        completed, acceptancePassed, skip: Object.keys(state.stageStatus).filter((id) => state.stageStatus[id]?.status === 'skipped'),
        ...(worktrees ? { worktrees } : {}),
      },
      elapsedSeconds: state.elapsedSeconds,
      durations: durationsOf(state),
      ...(state.schemaVersion === 1 ? { legacyOriginal: state.path } : {}),
    };
  return { point, lines: describePlan(state, stages, new Set(Object.keys(completed)), options.rerun) };
}

/** The isolated groups' git state (base, worktrees, merged stages) the saved snapshot holds, if any. */
export function savedWorktrees(state: LoadedRunState): RunInput['worktrees'] {
  return (state.machine as { context?: { worktrees?: RunInput['worktrees'] } } | undefined)?.context?.worktrees;
}

function durationsOf(state: LoadedRunState): Record<string, number> {
  const durations: Record<string, number> = {};
  for (const [stage, record] of Object.entries(state.stageStatus)) {
    if (record.duration_ms !== undefined && state.completed[stage]) durations[stage] = record.duration_ms;
  }
  return durations;
}

/** "skipping SETUP … SPEC_REVIEW, RESEARCH: completed" / "re-running TEST_STRATEGY: was running". */
function describePlan(state: LoadedRunState, stages: StagesConfig, done: ReadonlySet<string>, rerun?: string): string[] {
  const order = stages.stage_order.slice(0, -1); // the terminal stage has no work to skip or re-run
  const skipped = order.filter((stage) => done.has(stage));
  const again = order.filter((stage) => !done.has(stage));
  const lines: string[] = [];
  if (skipped.length > 0) lines.push(`skipping ${ranges(skipped, order).join(', ')}: completed`);
  const reasons = again.map((stage) => {
    if (rerun !== undefined && state.completed[stage]) return `${stage}: --rerun`;
    const status = state.stageStatus[stage]?.status;
    if (status === 'in_progress' || status === 'running') return `${stage}: was running`;
    if (status === 'failed') return `${stage}: failed${state.stageStatus[stage]?.error ? ` (${state.stageStatus[stage]!.error})` : ''}`;
    if (status === 'aborted') return `${stage}: was aborted`;
    return undefined;
  }).filter((reason): reason is string => reason !== undefined);
  if (reasons.length > 0) lines.push(`re-running ${reasons.join('; ')}`);
  const notStarted = again.filter((stage) => !reasons.some((reason) => reason.startsWith(`${stage}:`)));
  if (notStarted.length > 0) lines.push(`then ${ranges(notStarted, order).join(', ')}`);
  return lines;
}

/** Consecutive stages collapsed: [SETUP, BUSINESS_PROBLEM, SPEC] → ["SETUP … SPEC"]. */
function ranges(selected: readonly string[], order: readonly string[]): string[] {
  const result: string[] = [];
  let start = 0;
  for (let index = 1; index <= selected.length; index++) {
    const contiguous = index < selected.length
      && order.indexOf(selected[index]!) === order.indexOf(selected[index - 1]!) + 1;
    if (contiguous) continue;
    const first = selected[start]!;
    const last = selected[index - 1]!;
    result.push(first === last ? first : index - start === 2 ? `${first}, ${last}` : `${first} … ${last}`);
    start = index;
  }
  return result;
}
