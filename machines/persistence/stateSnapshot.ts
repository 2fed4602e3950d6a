import { STATE_SCHEMA_VERSION, type RunOptionsRecord, type StateFileV2 } from '../../loader/stateFile.js';
import type { StagesFingerprint } from '../../loader/stagesFingerprint.js';
import type { StagesConfig } from '../../loader/stagesSchema.js';
import { groupStateKey } from '../../loader/parallelGroups.js';
import { redactSecretsDeep } from '../../loader/secretRegistry.js';
import type { RunContext, RunStatus, StageStatus } from '../workflow/runContext.js';

/** What the state file says about the run that does not come from the machine. */
export interface RunMetadata {
  readonly objective_file: string;
  readonly feature_name: string;
  readonly stages_config_source: string;
  readonly stages_config_hash: string;
  readonly stages_config_fingerprint: StagesFingerprint;
  readonly max_seconds: number;
  readonly run_options?: RunOptionsRecord;
}

export interface CheckpointInput {
  readonly stages: StagesConfig;
  readonly metadata: RunMetadata;
  /** `actor.getPersistedSnapshot()`: what resume restores. */
  readonly machine: object;
  /** The snapshot's state value, to name the current stage. */
  readonly value: unknown;
  readonly context: RunContext;
  readonly status: RunStatus;
  readonly error: string | null;
  readonly elapsedSeconds: number;
  readonly durations: ReadonlyMap<string, number>;
  readonly now: Date;
}

/** TeamBot's per-stage flag words: a running stage is `in_progress`. */
const FLAG: Record<StageStatus, string> = {
  pending: 'pending', running: 'in_progress', completed: 'completed', failed: 'failed', skipped: 'skipped', aborted: 'aborted',
};

/**
 * Builds the v2 state file from a machine snapshot: TeamBot's summary fields
 * (current_stage, stage_outputs, per-stage group flags, acceptance fields) plus
 * the persisted snapshot. Every string in it is redacted: no `${ENV}` value
 * (secretRegistry.ts) in a stage's output or error reaches the file. Pure but
 * for that registry, so what is written can be tested exactly.
 */
export function stateFileFromSnapshot(input: CheckpointInput): StateFileV2 {
  const { stages, context } = input;
  const stageOutputs: Record<string, string> = {};
  const stageSummary: StateFileV2['stages'] = {};
  for (const id of stages.stage_order) {
    const record = context.stages[id];
    if (!record) continue;
    if (record.status === 'completed' && record.output !== undefined) stageOutputs[id] = record.output;
    const duration = input.durations.get(id);
    stageSummary[id] = {
      status: FLAG[record.status],
      ...(duration !== undefined ? { duration_ms: duration } : {}),
      ...(record.error ? { error: record.error } : {}),
    };
  }
  const groupStatus: StateFileV2['parallel_group_status'] = {};
  for (const group of Object.values(stages.parallel_groups)) {
    groupStatus[group.id] = {
      stages: Object.fromEntries(group.stages.map((id) => {
        const record = context.stages[id];
        return [id, { status: FLAG[record?.status ?? 'pending'], error: record?.error ?? null }];
      })),
    };
  }
  return redactSecretsDeep<StateFileV2>({
    schema_version: STATE_SCHEMA_VERSION,
    ...input.metadata,
    current_stage: currentStage(input.value, context, stages),
    status: input.status,
    elapsed_seconds: Math.round(input.elapsedSeconds * 1000) / 1000,
    stage_outputs: stageOutputs,
    parallel_group_status: groupStatus,
    acceptance_tests_passed: context.acceptance.passed,
    acceptance_test_iterations: context.acceptance.iterations,
    acceptance_test_history: context.acceptance.history.map((round) => ({ ...round })),
    stages: stageSummary,
    error: input.error,
    updated_at: input.now.toISOString(),
    machine: withoutStoredOutputs(input.machine as StateFileV2['machine'], stageOutputs),
  });
}

/**
 * TeamBot's `current_stage`: where the run is, or where it stopped. Inside a
 * parallel group it is `PARALLEL_GROUP:<id>`, as the seed proposed.
 */
export function currentStage(value: unknown, context: RunContext, stages: StagesConfig): string {
  const top = typeof value === 'string' ? value : Object.keys(value as object)[0] ?? '';
  if (top !== 'halted') return top;
  const stopped = context.failedStages[0]
    ?? stages.stage_order.find((id) => context.stages[id]?.status !== 'completed' && context.stages[id]?.status !== 'skipped')
    ?? stages.stage_order.at(-1)!;
  const group = Object.values(stages.parallel_groups).find((candidate) => candidate.stages.includes(stopped));
  return group ? groupStateKey(group.id) : stopped;
}

/**
 * The snapshot without the completed stages' outputs that `stage_outputs`
 * already holds: each output is stored once, which halves the file (outputs
 * can be megabytes). Reading the file puts them back (loader/readStateFile.ts).
 */
function withoutStoredOutputs(machine: StateFileV2['machine'], stageOutputs: Readonly<Record<string, string>>): StateFileV2['machine'] {
  const stages = Object.fromEntries(Object.entries(machine.context.stages).map(([id, record]) => {
    if (record.status !== 'completed' || stageOutputs[id] === undefined || record.output !== stageOutputs[id]) return [id, record];
    const { output: _stored, ...rest } = record;
    return [id, rest];
  }));
  return { ...machine, context: { ...machine.context, stages } };
}
