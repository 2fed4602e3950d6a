import * as z from 'zod';
import { InputError, sortIssues, type InputIssue } from './inputIssue.js';
import type { DataPath, SourceDocument } from './sourceDocument.js';
import { acceptanceRoundSchema, stateFileV2Schema, type LoadedRunState, type StateReadOptions } from './stateFile.js';
import type { ParallelGroup, StagesConfig } from './stagesSchema.js';
import { GROUP_PREFIX } from './parallelGroups.js';
import { isKnownCurrentStage, requireStateObject, undefinedStageIssues, unknownCurrentStageIssue, unknownStages } from './stateStageRules.js';
import { issuesFromZod } from './zodIssues.js';
import { FAILED_RUN_STATUSES } from './runStatuses.js';

/** TeamBot's default time limit: 8 hours. */
const DEFAULT_MAX_SECONDS = 28_800;
const RUN_STATUSES = stateFileV2Schema.shape.status.options;
const REQUIRED_FIELDS = ['current_stage', 'status'] as const;
/** Run statuses after which the stage the run stopped at did not succeed. */

// TeamBot writes null as often as it leaves a field out; both mean "not recorded".
const orDefault = <T extends z.ZodType>(schema: T, fallback: z.output<T>) =>
  schema.nullish().transform((value) => value ?? fallback);

/** The fields of TeamBot's orchestration_state.json this migrator reads; others are ignored. */
const legacyStateSchema = z.looseObject({
  current_stage: z.string(),
  status: stateFileV2Schema.shape.status,
  objective_file: orDefault(z.string(), ''),
  feature_name: orDefault(z.string(), ''),
  stages_config_source: orDefault(z.string(), ''),
  elapsed_seconds: orDefault(z.number(), 0),
  max_seconds: orDefault(z.number(), DEFAULT_MAX_SECONDS),
  stage_outputs: orDefault(z.record(z.string(), z.string().nullable()), {}),
  acceptance_tests_passed: orDefault(z.boolean(), false),
  acceptance_test_iterations: orDefault(z.number(), 0),
  acceptance_test_history: orDefault(z.array(acceptanceRoundSchema), []),
  error: z.string().nullish().transform((value) => value ?? null),
});

/** One per-stage flag of `parallel_group_status`, in either shape. */
interface StageFlag {
  readonly stage: string;
  readonly status: string;
  readonly error?: string;
  /** The seed's proposed shape only. */
  readonly output?: string;
  /** Where the stage's key sits in the file. */
  readonly path: DataPath;
}

/** A group as the state file names it (TeamBot's key or the seed's `group_name`). */
interface FileGroup {
  readonly name?: string;
  readonly flags: readonly StageFlag[];
}

/** Where TeamBot would resume: an index into stage_order, and the group around it if any. */
interface ResumeAt {
  readonly currentStage: string;
  readonly index: number;
  readonly group?: ParallelGroup;
}

/**
 * Migrates a TeamBot state file (no `schema_version`) into {@link LoadedRunState},
 * following TeamBot's own resume rule: it resumes at `current_stage`, so every
 * stage before it in stage_order is done, with or without an output; the
 * current stage is not (it re-runs), except the terminal stage of a `complete`
 * run. Inside a parallel group, and anywhere else, a stage flagged
 * `completed`/`complete` in `parallel_group_status` is done. Both shapes of
 * that field are read: TeamBot's `{ <group>: { stages: { S: { status, error } } } }`
 * and the seed's `{ group_name, stages: { S: { status, output } } }`.
 *
 * @throws InputError: `state-invalid` (missing or wrong-typed fields, unknown
 *   status), `state-unknown-stage` (current_stage not in the configuration),
 *   `state-stage-missing` (a stage the configuration no longer defines)
 *
 * @example
 * const state = migrateLegacyState(parseJsonSource(path, text), configuration.stages);
 * state.completed.SPEC?.output // what TeamBot's SPEC stage produced
 */
export function migrateLegacyState(document: SourceDocument, stages: StagesConfig, options: StateReadOptions = {}): LoadedRunState {
  const raw = requireStateObject(document);
  const parsed = legacyStateSchema.safeParse(raw, { reportInput: true });
  const groups = readGroupFlags(document, raw.parallel_group_status);
  if (!parsed.success || groups.issues.length > 0) {
    const fieldIssues = parsed.success ? [] : legacyFieldIssues(document, raw, parsed.error);
    throw new InputError(sortIssues([...fieldIssues, ...groups.issues]));
  }
  const state = parsed.data;
  const allFlags = groups.groups.flatMap((group) => group.flags);

  const issues = undefinedStageIssues(document, stages, [
    ...Object.keys(state.stage_outputs).map((stage) => ({ stage, path: ['stage_outputs', stage] })),
    ...allFlags,
  ], state.stages_config_source);
  const found = resumeAt(stages, state.current_stage, groups.groups);
  if (!found) issues.push(unknownCurrentStageIssue(document, stages, state.current_stage));
  const dropped = options.dropUnknownStages
    ? unknownStages(stages, [...Object.keys(state.stage_outputs), ...allFlags.map((flag) => flag.stage), ...(found ? [] : [state.current_stage])])
    : [];
  if (issues.length > 0 && dropped.length === 0) throw new InputError(sortIssues(issues));
  const flags = allFlags.filter((flag) => !dropped.includes(flag.stage));
  // Resuming at a stage this workflow lacks: the first stage with nothing to show for it.
  const point = found ?? firstUnfinished(stages, state.stage_outputs, flags);

  const done = doneStages(stages, point, flags, state.status);
  const outputOf = (stage: string) =>
    state.stage_outputs[stage] ?? flags.find((flag) => flag.stage === stage && flag.output !== undefined)?.output;
  const completed: Record<string, { output?: string }> = {};
  for (const stage of stages.stage_order) {
    if (!done.has(stage)) continue;
    const output = outputOf(stage);
    completed[stage] = output === undefined ? {} : { output };
  }

  return {
    path: document.file,
    schemaVersion: 1,
    objectiveFile: state.objective_file,
    featureName: state.feature_name,
    stagesConfigSource: state.stages_config_source,
    currentStage: point.currentStage,
    status: state.status,
    elapsedSeconds: state.elapsed_seconds,
    maxSeconds: state.max_seconds,
    completed,
    stageStatus: stageStatusFor(stages, done, point, flags, state.status),
    acceptancePassed: state.acceptance_tests_passed,
    acceptanceIterations: state.acceptance_test_iterations,
    acceptanceHistory: state.acceptance_test_history.map(({ iteration, passed, failed, total }) => ({ iteration, passed, failed, total })),
    error: state.error,
    ...(dropped.length > 0 ? { droppedStages: dropped } : {}),
  };
}

/** The first stage of the workflow that has neither an output nor a completed flag. */
function firstUnfinished(stages: StagesConfig, outputs: Readonly<Record<string, string | null>>, flags: readonly StageFlag[]): ResumeAt {
  const index = stages.stage_order.findIndex((stage) =>
    outputs[stage] == null && !flags.some((flag) => flag.stage === stage && isDoneFlag(flag.status)));
  const at = index < 0 ? stages.stage_order.length - 1 : index;
  const currentStage = stages.stage_order[at]!;
  const group = Object.values(stages.parallel_groups).find((candidate) => candidate.stages.includes(currentStage));
  return { currentStage, index: at, ...(group ? { group } : {}) };
}

/**
 * `state-invalid` for each field zod refused. Missing required fields are
 * reported here rather than by zod, whose message for a missing enum is unhelpful.
 */
function legacyFieldIssues(document: SourceDocument, raw: Record<string, unknown>, error: z.ZodError): InputIssue[] {
  const missing = REQUIRED_FIELDS.filter((field) => raw[field] === undefined);
  const otherIssues = error.issues.filter((issue) => !missing.some((field) => field === issue.path[0]));
  const fieldIssues = otherIssues.length === 0
    ? []
    : issuesFromZod(new z.ZodError(otherIssues), { document, basePath: [], schema: legacyStateSchema });
  return [
    ...missing.map((field) => ({
      file: document.file, ...document.locate([]), rule: 'state-invalid',
      message: `missing required field "${field}"; TeamBot always writes it`,
      fix: field === 'status'
        ? `add "status": one of ${RUN_STATUSES.join(', ')}`
        : 'add "current_stage": the stage the run resumes at, e.g. "PLAN"',
    })),
    ...fieldIssues.map((issue) => ({ ...issue, rule: 'state-invalid' })),
  ];
}


/**
 * Resolves `current_stage` against the configuration. A group is matched by
 * name, else by the stages the file flags for it (the seed called the group
 * `post_spec`; our configuration calls it `post_spec_review`).
 */
function resumeAt(stages: StagesConfig, currentStage: string, fileGroups: readonly FileGroup[]): ResumeAt | undefined {
  const groups = Object.values(stages.parallel_groups);
  const indexOf = (stage: string) => stages.stage_order.indexOf(stage);
  const firstIndex = (group: ParallelGroup) => Math.min(...group.stages.map(indexOf));

  if (currentStage.startsWith(GROUP_PREFIX)) {
    const name = currentStage.slice(GROUP_PREFIX.length);
    const group = stages.parallel_groups[name] ?? groupByStages(groups, flaggedStages(fileGroups, name));
    return group ? { currentStage: GROUP_PREFIX + group.id, index: firstIndex(group), group } : undefined;
  }
  const index = indexOf(currentStage);
  if (index < 0) return undefined;
  const group = groups.find((candidate) => candidate.stages.includes(currentStage));
  return { currentStage, index, ...(group ? { group } : {}) };
}

/** The stages the file flags for group `name`; every flagged stage when no group has that name. */
function flaggedStages(fileGroups: readonly FileGroup[], name: string): string[] {
  const named = fileGroups.filter((group) => group.name === name);
  return (named.length > 0 ? named : fileGroups).flatMap((group) => group.flags.map((flag) => flag.stage));
}

/** The configuration's group holding every one of `stageIds` (groups do not overlap, so at most one). */
function groupByStages(groups: readonly ParallelGroup[], stageIds: readonly string[]): ParallelGroup | undefined {
  if (stageIds.length === 0) return undefined;
  return groups.find((group) => stageIds.every((stage) => group.stages.includes(stage)));
}

const isDoneFlag = (status: string) => status === 'completed' || status === 'complete';

/**
 * TeamBot's resume rule: everything before the resume point is done; inside the
 * current group a stage's flag, when it has one, decides; a stage flagged
 * completed is done anywhere; the terminal stage is done once the run is complete.
 */
function doneStages(stages: StagesConfig, point: ResumeAt, flags: readonly StageFlag[], status: string): Set<string> {
  const flagOf = new Map(flags.map((flag) => [flag.stage, flag.status]));
  const done = new Set(stages.stage_order.slice(0, point.index));
  for (const stage of point.group?.stages ?? []) {
    const flag = flagOf.get(stage);
    if (flag !== undefined && !isDoneFlag(flag)) done.delete(stage);
  }
  for (const flag of flags) if (isDoneFlag(flag.status)) done.add(flag.stage);
  const terminal = stages.stage_order.at(-1);
  if (point.currentStage === terminal && status === 'complete') done.add(terminal);
  return done;
}

/** Every stage's status for display: done, the file's flag, the stage the run stopped at, or pending. */
function stageStatusFor(
  stages: StagesConfig, done: ReadonlySet<string>, point: ResumeAt, flags: readonly StageFlag[], status: string,
): LoadedRunState['stageStatus'] {
  const flagOf = new Map(flags.map((flag) => [flag.stage, flag]));
  const result: Record<string, { status: string; error?: string }> = {};
  for (const stage of stages.stage_order) {
    const flag = flagOf.get(stage);
    if (done.has(stage)) result[stage] = { status: 'completed' };
    else if (flag) result[stage] = { status: isDoneFlag(flag.status) ? 'completed' : flag.status, ...(flag.error ? { error: flag.error } : {}) };
    else if (stage === point.currentStage) result[stage] = { status: currentStageStatus(status) };
    else result[stage] = { status: 'pending' };
  }
  return result;
}

function currentStageStatus(runStatus: string): string {
  if (FAILED_RUN_STATUSES.has(runStatus)) return 'failed';
  return runStatus === 'in_progress' ? 'in_progress' : 'pending';
}

/** Reads `parallel_group_status` in TeamBot's shape or the seed's, collecting wrong-typed entries. */
function readGroupFlags(document: SourceDocument, value: unknown): { groups: FileGroup[]; issues: InputIssue[] } {
  const issues: InputIssue[] = [];
  const invalid = (path: DataPath, message: string) => issues.push({
    file: document.file, ...document.locate(path), rule: 'state-invalid', message,
    fix: 'restore the file as TeamBot wrote it, or remove "parallel_group_status" to re-run the whole group',
  });
  const base = ['parallel_group_status'];
  if (value == null) return { groups: [], issues };
  if (!isRecord(value)) {
    invalid(base, '"parallel_group_status" must be a mapping of group name to { "stages": { … } }');
    return { groups: [], issues };
  }

  const readFlags = (stagesValue: unknown, path: DataPath): StageFlag[] => {
    if (stagesValue == null) return [];
    if (!isRecord(stagesValue)) {
      invalid(path, `"${path.join('.')}" must be a mapping of stage name to { "status": … }`);
      return [];
    }
    const flags: StageFlag[] = [];
    for (const [stage, flag] of Object.entries(stagesValue)) {
      const flagPath = [...path, stage];
      if (!isRecord(flag) || typeof flag.status !== 'string') {
        invalid(flagPath, `the flag of stage ${stage} must be an object with a text "status"`);
        continue;
      }
      const error = optionalText(flag.error);
      const output = optionalText(flag.output);
      if (error === false) invalid([...flagPath, 'error'], `the "error" of stage ${stage} must be text or null`);
      if (output === false) invalid([...flagPath, 'output'], `the "output" of stage ${stage} must be text or null`);
      flags.push({
        stage, status: flag.status, path: flagPath,
        ...(typeof error === 'string' ? { error } : {}),
        ...(typeof output === 'string' ? { output } : {}),
      });
    }
    return flags;
  };

  if (isSeedShape(value)) {
    const name = typeof value.group_name === 'string' ? value.group_name : undefined;
    return { groups: [{ ...(name ? { name } : {}), flags: readFlags(value.stages, [...base, 'stages']) }], issues };
  }
  const groups: FileGroup[] = [];
  for (const [name, group] of Object.entries(value)) {
    if (!isRecord(group)) {
      invalid([...base, name], `group "${name}" must be an object with "stages"`);
      continue;
    }
    groups.push({ name, flags: readFlags(group.stages, [...base, name, 'stages']) });
  }
  return { groups, issues };
}

/** The seed's shape has `group_name` and per-stage flags directly under `stages`. */
function isSeedShape(value: Record<string, unknown>): boolean {
  if ('group_name' in value) return true;
  const stagesValue = value.stages;
  return isRecord(stagesValue) && Object.values(stagesValue).every((flag) => isRecord(flag) && 'status' in flag);
}

/** A text value, undefined for absent/null, false for anything else. */
function optionalText(value: unknown): string | undefined | false {
  if (value == null) return undefined;
  return typeof value === 'string' ? value : false;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
