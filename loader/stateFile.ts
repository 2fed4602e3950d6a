import * as z from 'zod';
import { MAX_DURATION_HOURS } from './durationLimits.js';
import type { StagesFingerprint } from './stagesFingerprint.js';
import { RUN_STATUSES } from './runStatuses.js';

/** The largest elapsed time or time limit a state file may record: ten years, as --max-hours allows. */
const MAX_DURATION_SECONDS = MAX_DURATION_HOURS * 3600;

/** The state file format this version writes and understands. */
export const STATE_SCHEMA_VERSION = 2;
export const STATE_FILE_NAME = 'orchestration_state.json';
export const LEGACY_BACKUP_NAME = 'orchestration_state.v1.json';

export const stageFlagSchema = z.looseObject({
  status: z.string(),
  error: z.string().nullable().optional(),
});

export const acceptanceRoundSchema = z.looseObject({
  iteration: z.number(),
  passed: z.number(),
  failed: z.number(),
  total: z.number(),
});

/**
 * What a run was started with that resume must repeat: its runner, the
 * simulation script, an explicit teambot.json or stages.yaml (paths relative
 * to the project root; absent when found by the usual lookup), --sequential.
 */
export const runOptionsSchema = z.looseObject({
  runner: z.string(),
  simulate: z.string().optional(),
  config: z.string().optional(),
  stages: z.string().optional(),
  sequential: z.boolean().optional(),
});
export type RunOptionsRecord = z.output<typeof runOptionsSchema>;

/**
 * orchestration_state.json, version 2: TeamBot's summary fields (same names and
 * meanings, so TeamBot's tools and people can read it) plus `machine`, the
 * XState persisted snapshot that resume restores, and a few teambot additions.
 */
export const stateFileV2Schema = z.looseObject({
  schema_version: z.literal(STATE_SCHEMA_VERSION),
  objective_file: z.string(),
  feature_name: z.string(),
  stages_config_source: z.string(),
  /** sha256 of the stages configuration the run was made with (teambot addition). */
  stages_config_hash: z.string(),
  /** Per-part hashes, to say what changed when the configuration differs on resume (teambot addition). */
  stages_config_fingerprint: z.object({
    stage_order: z.array(z.string()),
    stages: z.record(z.string(), z.string()),
    parallel_groups: z.record(z.string(), z.string()),
  }).optional(),
  /** How the run was started, so resume can run it the same way (teambot addition; paths relative to the project). */
  run_options: runOptionsSchema.optional(),
  current_stage: z.string(),
  status: z.enum(RUN_STATUSES),
  // A hand-edited -1 or 1e400 would be shown as "a time limit of -1 s" or "Infinity h": refused with its line instead.
  elapsed_seconds: z.number().min(0).max(MAX_DURATION_SECONDS),
  max_seconds: z.number().positive().max(MAX_DURATION_SECONDS),
  stage_outputs: z.record(z.string(), z.string()),
  parallel_group_status: z.record(z.string(), z.looseObject({ stages: z.record(z.string(), stageFlagSchema) })),
  acceptance_tests_passed: z.boolean(),
  acceptance_test_iterations: z.number(),
  acceptance_test_history: z.array(acceptanceRoundSchema),
  /** Per stage: status, duration and error, for `teambot status` (teambot addition). */
  stages: z.record(z.string(), z.looseObject({
    status: z.string(),
    duration_ms: z.number().optional(),
    error: z.string().optional(),
  })),
  error: z.string().nullable().optional(),
  updated_at: z.string(),
  /**
   * The generation of the checkpoint journal beside the file whose records
   * apply to it (loader/stateJournal.ts; teambot addition). During a run the
   * file's fields are as of `updated_at`; the journal holds later checkpoints.
   */
  journal_id: z.string().optional(),
  /** Checked only as far as resume relies on it: a state value and the stage records in context. */
  machine: z.looseObject({
    status: z.string(),
    value: z.union([z.string(), z.record(z.string(), z.unknown())]),
    context: z.looseObject({ stages: z.record(z.string(), z.looseObject({ status: z.string() })) }),
  }),
});

export type StateFileV2 = z.output<typeof stateFileV2Schema>;

/**
 * What a state file (any version) says about a run, in the form resume and
 * `teambot status` need. Legacy files are migrated into this shape.
 */
export interface LoadedRunState {
  readonly path: string;
  /** 1 for TeamBot's files (no schema_version), 2 for ours. */
  readonly schemaVersion: 1 | 2;
  readonly objectiveFile: string;
  readonly featureName: string;
  readonly stagesConfigSource: string;
  /** Absent in legacy files. */
  readonly stagesConfigHash?: string;
  /** Absent in legacy files. */
  readonly stagesConfigFingerprint?: StagesFingerprint;
  readonly currentStage: string;
  readonly status: StateFileV2['status'];
  readonly elapsedSeconds: number;
  readonly maxSeconds: number;
  /** Stages that are done and must not run again, with their outputs when known. */
  readonly completed: Readonly<Record<string, { readonly output?: string }>>;
  /** Every stage's status as the file records it (legacy: derived), for `teambot status`. */
  readonly stageStatus: Readonly<Record<string, { readonly status: string; readonly duration_ms?: number; readonly error?: string }>>;
  readonly acceptancePassed: boolean;
  readonly acceptanceIterations: number;
  readonly acceptanceHistory: readonly z.output<typeof acceptanceRoundSchema>[];
  readonly error: string | null;
  /** The XState persisted snapshot (v2 only; absent when stages were dropped). */
  readonly machine?: unknown;
  /** How the run was started (v2 files since run options were recorded). */
  readonly runOptions?: RunOptionsRecord;
  /** Stages the file records that the configuration lacks, left out (only when reading with dropUnknownStages). */
  readonly droppedStages?: readonly string[];
}

export interface StateReadOptions {
  /**
   * Leave out stages the configuration does not define instead of refusing the
   * file (`resume --force` after stages were removed or renamed).
   */
  readonly dropUnknownStages?: boolean | undefined;
}
