import { isDeepStrictEqual } from 'node:util';
import { STATE_SCHEMA_VERSION, type RunOptionsRecord, type StateFileV2 } from '../../loader/stateFile.js';
import type { StagesFingerprint } from '../../loader/stagesFingerprint.js';
import type { StagesConfig } from '../../loader/stagesSchema.js';
import { groupStateKey } from '../../loader/parallelGroups.js';
import { redactSecrets, redactSecretsDeep } from '../../loader/secretRegistry.js';
import { applyJournalOperations, jsonPointer, type JournalOperation } from '../../loader/stateJournal.js';
import { takeChangedStages, type RunContext, type RunStatus, type StageRecord, type StageStatus } from '../workflow/runContext.js';

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

/** The record and duration a stage's parts of the state were last built from. */
interface BuiltStage {
  readonly record: StageRecord | undefined;
  readonly duration: number | undefined;
  readonly storedOutput: boolean;
}

/** A checkpoint: the whole state as it now is, and what changed since the previous one. */
export interface Checkpoint {
  /** The state file's JSON. The builder owns it and updates it in place at the next checkpoint. */
  readonly state: StateFileV2;
  /** What changed since the previous checkpoint, as the journal records it (everything, at the first). */
  readonly ops: readonly JournalOperation[];
}

/**
 * Builds the v2 state file from machine snapshots, one checkpoint after
 * another: TeamBot's summary fields (current_stage, stage_outputs, per-stage
 * group flags, acceptance fields) plus the persisted snapshot. A checkpoint
 * costs what changed, not the size of the run: a stage's parts are rebuilt
 * only when its record (immutable, so identity tells) or duration changed, and
 * the rest of the state is small. Each change is one journal operation, and
 * the builder applies the operations to its own state (applyJournalOperations,
 * as a reader replays them), so the journal and the state file cannot differ.
 * Every string is redacted: no `${ENV}` value (secretRegistry.ts) in a stage's
 * output or error reaches the file. Pure but for that registry.
 */
export function createStateBuilder(stages: StagesConfig, metadata: RunMetadata) {
  const inStageOrder = new Set(stages.stage_order);
  const groupOf = new Map(Object.values(stages.parallel_groups).flatMap((group) => group.stages.map((id) => [id, group.id] as const)));
  const built = new Map<string, BuiltStage>();
  let state: StateFileV2 | undefined;
  let stageIds: readonly string[] | undefined;

  /** The operations that bring stage `id`'s parts of the state from `before` to `record`. */
  const stageOperations = (id: string, record: StageRecord | undefined, duration: number | undefined, before: BuiltStage | undefined) => {
    const ops: JournalOperation[] = [];
    const key = redactSecrets(id);
    const summarised = record !== undefined && inStageOrder.has(id);
    const storedOutput = summarised && record.status === 'completed' && record.output !== undefined;
    if (summarised) {
      ops.push(add(['stages', key], redactSecretsDeep({
        status: FLAG[record.status], ...(duration !== undefined ? { duration_ms: duration } : {}), ...(record.error ? { error: record.error } : {}),
      })));
    } else if (before?.record !== undefined) {
      ops.push(remove(['stages', key]));
    }
    if (storedOutput) ops.push(add(['stage_outputs', key], redactSecrets(record.output!)));
    else if (before?.storedOutput) ops.push(remove(['stage_outputs', key]));
    const group = groupOf.get(id);
    if (group !== undefined) {
      ops.push(add(['parallel_group_status', group, 'stages', key],
        redactSecretsDeep({ status: FLAG[record?.status ?? 'pending'], error: record?.error ?? null })));
    }
    if (record !== undefined) {
      // The output stage_outputs holds is stored once, which halves the file (outputs can be megabytes).
      const { output: _stored, ...withoutOutput } = record;
      ops.push(add(['machine', 'context', 'stages', key], redactSecretsDeep(storedOutput ? withoutOutput : record)));
    } else if (before?.record !== undefined) {
      ops.push(remove(['machine', 'context', 'stages', key]));
    }
    built.set(id, { record, duration, storedOutput });
    return ops;
  };

  return {
    /** The state of the last checkpoint, if any. */
    latest: (): StateFileV2 | undefined => state,
    /**
     * The state at this checkpoint and the operations since the previous one.
     *
     * @example const { state, ops } = builder.checkpoint(input); // ops: [{ op: 'add', path: '/stages/SPEC', … }, …]
     */
    checkpoint(input: CheckpointInput): Checkpoint {
      const { context } = input;
      state ??= skeleton(stages, metadata, input);
      const ops: JournalOperation[] = [];
      // The machine's context has a record for every stage of the workflow from the start
      // (initialRunContext). The first checkpoint goes through them all; later ones through the
      // stages withStage changed since (a duration is set only when the record changes too).
      const changed = takeChangedStages(context.stages);
      const candidates = stageIds === undefined || changed === undefined
        ? stageIds = [...new Set([...stages.stage_order, ...Object.keys(stages.stages), ...Object.keys(context.stages)])]
        : changed;
      for (const id of candidates) {
        const record = context.stages[id];
        const duration = input.durations.get(id);
        const before = built.get(id);
        if (before === undefined ? record === undefined : before.record === record && before.duration === duration) continue;
        ops.push(...stageOperations(id, record, duration, before));
      }
      ops.push(...changedFields(state as unknown as Record<string, unknown>, [], redactSecretsDeep({
        current_stage: currentStage(input.value, context, stages),
        status: input.status,
        elapsed_seconds: Math.round(input.elapsedSeconds * 1000) / 1000,
        acceptance_tests_passed: context.acceptance.passed,
        acceptance_test_iterations: context.acceptance.iterations,
        acceptance_test_history: context.acceptance.history.map((round) => ({ ...round })),
        error: input.error,
        updated_at: input.now.toISOString(),
      })));
      const { context: machineContext, ...machineRest } = input.machine as StateFileV2['machine'];
      const { stages: _records, ...contextRest } = machineContext;
      const machine = state.machine as unknown as Record<string, unknown>;
      ops.push(...changedFields(machine, ['machine'], redactSecretsDeep(machineRest), ['context']));
      ops.push(...changedFields(machine.context as Record<string, unknown>, ['machine', 'context'], redactSecretsDeep(contextRest), ['stages']));
      const failure = applyJournalOperations(state as unknown as Record<string, unknown>, ops);
      if (failure !== undefined) throw new Error(`internal error: a checkpoint does not apply to its own state: ${failure}`);
      return { state, ops };
    },
  };
}

/** The state before any stage: metadata (written once per state file, never journaled) and empty maps in TeamBot's order. */
function skeleton(stages: StagesConfig, metadata: RunMetadata, input: CheckpointInput): StateFileV2 {
  return redactSecretsDeep<StateFileV2>({
    schema_version: STATE_SCHEMA_VERSION,
    ...metadata,
    current_stage: '',
    status: input.status,
    elapsed_seconds: 0,
    stage_outputs: {},
    parallel_group_status: Object.fromEntries(Object.values(stages.parallel_groups).map((group) => [group.id, { stages: {} }])),
    acceptance_tests_passed: false,
    acceptance_test_iterations: 0,
    acceptance_test_history: [],
    stages: {},
    error: null,
    updated_at: '',
    machine: { status: 'active', value: '', context: { stages: {} } },
  });
}

/**
 * `add` for each field of `next` that differs from `target`'s; with `keep`, also
 * `remove` for each field of `target` that `next` lacks, but those in `keep`.
 */
function changedFields(target: Record<string, unknown>, at: readonly string[], next: Record<string, unknown>, keep?: readonly string[]): JournalOperation[] {
  const ops: JournalOperation[] = [];
  for (const [key, value] of Object.entries(next)) {
    if (value === undefined) continue;
    if (!Object.hasOwn(target, key) || !isDeepStrictEqual(target[key], value)) ops.push(add([...at, key], value));
  }
  if (keep === undefined) return ops;
  for (const key of Object.keys(target)) {
    if (!keep.includes(key) && next[key] === undefined) ops.push(remove([...at, key]));
  }
  return ops;
}

const add = (keys: readonly string[], value: unknown): JournalOperation => ({ op: 'add', path: jsonPointer(keys), value });
const remove = (keys: readonly string[]): JournalOperation => ({ op: 'remove', path: jsonPointer(keys) });

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
