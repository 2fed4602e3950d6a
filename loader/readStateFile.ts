import { describeFileError } from './fileProblems.js';
import { InputError, type InputIssue, sortIssues, wholeFileIssue } from './inputIssue.js';
import { parseJsonSource } from './jsonSource.js';
import { migrateLegacyState } from './legacyState.js';
import { isKnownCurrentStage, requireStateObject, undefinedStageIssues, unknownCurrentStageIssue, unknownStages } from './stateStageRules.js';
import { notAFileIssue, readInputFile } from './readInputFile.js';
import { invalidUtf8Position, positionAt, type SourceDocument, tooLargeIssue } from './sourceDocument.js';
import { journalPathFor, replayJournal } from './stateJournal.js';
import { STATE_SCHEMA_VERSION, stateFileV2Schema, type LoadedRunState, type StateFileV2, type StateReadOptions } from './stateFile.js';
import type { StagesConfig } from './stagesSchema.js';
import { issuesFromZod } from './zodIssues.js';

/**
 * Reads a run's orchestration_state.json, of either version, into what resume
 * and `teambot status` need: read → decode → parse → by `schema_version`,
 * migrate TeamBot's file or validate ours → check it against the configuration.
 * Never writes: a file it refuses is left exactly as it was.
 *
 * @throws InputError: `state-not-found`, `not-a-file`, `unreadable`, `too-large`, `state-corrupt` (not
 *   UTF-8 text or not complete JSON, e.g. truncated by a crash), `state-invalid`,
 *   `state-newer-version`, schema issues of a v2 file (`missing-field`,
 *   `wrong-type`…), `state-unknown-stage`, `state-stage-missing`
 *
 * @example
 * const state = await readStateFile('.teambot/dark-mode/orchestration_state.json', configuration.stages);
 * state.currentStage // 'PLAN'
 */
export async function readStateFile(path: string, stages: StagesConfig, options: StateReadOptions = {}): Promise<LoadedRunState> {
  const { document, raw } = await readCurrentState(path);

  if (!('schema_version' in raw)) return migrateLegacyState(document, stages, options);
  const version = raw.schema_version;
  if (version === STATE_SCHEMA_VERSION) return fromStateFileV2(document, stages, options);
  const at = { file: path, ...document.locate(['schema_version']) };
  if (typeof version === 'number' && Number.isInteger(version) && version > STATE_SCHEMA_VERSION) {
    throw new InputError([{
      ...at, rule: 'state-newer-version',
      message: `written by a newer teambot (schema_version ${version}; this version understands ${STATE_SCHEMA_VERSION})`,
      fix: 'upgrade teambot to the version that wrote this file, then resume',
    }]);
  }
  throw new InputError([{
    ...at, rule: 'state-invalid',
    message: `"schema_version" must be ${STATE_SCHEMA_VERSION}, not ${JSON.stringify(version)}`,
    fix: `teambot writes "schema_version": ${STATE_SCHEMA_VERSION} and TeamBot writes none; restore the file as it was written, or start a new run`,
  }]);
}

/**
 * The state file with its journal's checkpoints applied (loader/stateJournal.ts):
 * the run as of its last checkpoint, even while a run is writing it. A reader
 * that raced a rewrite sees the journal of the next generation: it reads the
 * state file again, a few times at most, then settles for what it has (the
 * state as of the rewrite it read, a consistent earlier checkpoint).
 */
async function readCurrentState(path: string): Promise<{ document: SourceDocument; raw: Record<string, unknown> }> {
  for (let attempt = 1; ; attempt++) {
    const text = decodeStateText(path, await readStateBytes(path));
    const document = parseJsonSource(path, text, { maxBytes: MAX_STATE_BYTES });
    if (document.syntaxIssues.length > 0) throw corruptStateError(document, text);
    const raw = requireStateObject(document);
    // TeamBot's files have no journal; ours name theirs.
    if (typeof raw.journal_id !== 'string') return { document, raw };
    const journalPath = journalPathFor(path);
    const journal = await readJournalText(journalPath);
    if (journal === undefined) return { document, raw };
    const replay = replayJournal(raw, journal, journalPath);
    if (replay.otherGeneration === 0 || attempt === 3) return { document, raw };
  }
}

/** The journal's text, undefined when there is none; `state-corrupt` when it cannot be read. */
async function readJournalText(path: string): Promise<string | undefined> {
  const read = await readInputFile(path, MAX_STATE_BYTES);
  if (read.kind === 'missing') return undefined;
  if (read.kind === 'read' && !read.tooLarge) return read.bytes.toString('utf8');
  throw new InputError([wholeFileIssue({
    file: path, rule: read.kind === 'read' ? 'too-large' : 'unreadable',
    message: read.kind === 'read' ? 'the checkpoint journal is larger than any run writes'
      : read.kind === 'unreadable' ? `cannot read the checkpoint journal: ${describeFileError(read.code)}` : 'the checkpoint journal is not a regular file',
    fix: 'check the file and its permissions; removing it resumes from the checkpoint orchestration_state.json holds',
  })]);
}

const CORRUPT_FIX = 'restore orchestration_state.json from a backup, or start a new run with `teambot run <objective.md>`';

/** State files hold every stage's output; they may be far larger than a configuration file. */
const MAX_STATE_BYTES = 1024 * 1024 * 1024;

/** The file's bytes, or `state-not-found` / `not-a-file` / `unreadable` / `too-large`. */
async function readStateBytes(path: string): Promise<Buffer> {
  const read = await readInputFile(path, MAX_STATE_BYTES);
  if (read.kind === 'read') {
    if (read.tooLarge) throw new InputError([tooLargeIssue(path, MAX_STATE_BYTES)]);
    return read.bytes;
  }
  if (read.kind === 'not-a-file') {
    throw new InputError([notAFileIssue(path, read.what, 'name the orchestration_state.json file itself, or the run\'s feature directory')]);
  }
  const missing = read.kind === 'missing';
  throw new InputError([wholeFileIssue({
    file: path, rule: missing ? 'state-not-found' : 'unreadable',
    message: missing ? 'state file not found'
      : read.kind === 'directory' ? 'this is a directory, not a state file' : `cannot read the state file: ${describeFileError(read.code)}`,
    fix: missing
      ? 'check the path: resume takes a feature directory (.teambot/<feature>) or its orchestration_state.json; to start over, run `teambot run <objective.md>`'
      : 'name the orchestration_state.json file itself and check its permissions',
  })]);
}

/**
 * Decodes UTF-8 strictly: invalid bytes mean the file was damaged (TeamBot writes
 * ASCII, teambot valid UTF-8), and a lenient decode would hide that inside a string.
 */
function decodeStateText(path: string, bytes: Buffer): string {
  const at = invalidUtf8Position(bytes);
  if (!at) return bytes.toString('utf8');
  throw new InputError([{
    file: path, ...at, rule: 'state-corrupt',
    message: 'the state file is corrupt (it contains bytes that are not UTF-8 text); nothing was changed',
    fix: CORRUPT_FIX,
  }]);
}

/** `state-corrupt` at the first syntax problem (a truncated file reports several; the first is the cause). */
function corruptStateError(document: SourceDocument, text: string): InputError {
  const first = sortIssues(document.syntaxIssues)[0]!;
  // Size is not corruption; parseJsonSource's own issue says it best.
  if (first.rule === 'too-large') return new InputError([first]);
  const position = first.rule === 'not-text' ? positionAt(text, text.indexOf('\u0000')) : { line: first.line, column: first.column };
  const detail = first.rule === 'not-text' ? 'it contains NUL bytes' : first.message;
  return new InputError([{
    file: document.file, ...position, rule: 'state-corrupt',
    message: `the state file is corrupt or truncated (${detail}); nothing was changed`,
    fix: CORRUPT_FIX,
  }]);
}

/** Validates a schema_version 2 file and converts it; `machine` is what resume restores. */
function fromStateFileV2(document: SourceDocument, stages: StagesConfig, options: StateReadOptions): LoadedRunState {
  const parsed = stateFileV2Schema.safeParse(document.value, { reportInput: true });
  if (!parsed.success) {
    throw new InputError(sortIssues(issuesFromZod(parsed.error, { document, basePath: [], schema: stateFileV2Schema })));
  }
  const state = parsed.data;

  const named = [
    ...Object.keys(state.stages).map((stage) => ({ stage, path: ['stages', stage] })),
    ...Object.keys(state.stage_outputs).map((stage) => ({ stage, path: ['stage_outputs', stage] })),
    ...Object.entries(state.parallel_group_status).flatMap(([group, { stages: flags }]) =>
      Object.keys(flags).map((stage) => ({ stage, path: ['parallel_group_status', group, 'stages', stage] }))),
  ];
  const issues: InputIssue[] = undefinedStageIssues(document, stages, named, state.stages_config_source);
  if (!isKnownCurrentStage(stages, state.current_stage)) issues.push(unknownCurrentStageIssue(document, stages, state.current_stage));
  const machineState = typeof state.machine.value === 'string' ? state.machine.value : Object.keys(state.machine.value)[0] ?? '';
  if (machineState !== 'halted' && !isKnownCurrentStage(stages, machineState)) {
    issues.push({
      file: document.file, ...document.locate(['machine', 'value']), rule: 'state-invalid',
      message: `the saved snapshot is in state "${machineState}", which this workflow does not have`,
      fix: 'resume with the stages.yaml the run was made with (--stages <file>), or start over with `teambot run <objective> --fresh`',
    });
  }
  issues.push(...undefinedStageIssues(document, stages,
    Object.keys(state.machine.context.stages).map((stage) => ({ stage, path: ['machine', 'context', 'stages', stage] })),
    state.stages_config_source));
  const dropped = options.dropUnknownStages ? unknownStages(stages, [...named.map(({ stage }) => stage), state.current_stage, machineState,
    ...Object.keys(state.machine.context.stages)]) : [];
  if (issues.length > 0 && dropped.length === 0) throw new InputError(sortIssues(issues));

  const completed: Record<string, { output?: string }> = {};
  for (const stage of stages.stage_order) {
    if (state.stages[stage]?.status !== 'completed') continue;
    const output = state.stage_outputs[stage];
    completed[stage] = output === undefined ? {} : { output };
  }
  const stageStatus = Object.fromEntries(Object.entries(state.stages).filter(([stage]) => !dropped.includes(stage)).map(([stage, { status, duration_ms, error }]) =>
    [stage, { status, ...(duration_ms !== undefined ? { duration_ms } : {}), ...(error !== undefined ? { error } : {}) }]));

  return {
    path: document.file,
    schemaVersion: 2,
    objectiveFile: state.objective_file,
    featureName: state.feature_name,
    stagesConfigSource: state.stages_config_source,
    stagesConfigHash: state.stages_config_hash,
    ...(state.run_options ? { runOptions: state.run_options } : {}),
    ...(state.stages_config_fingerprint ? { stagesConfigFingerprint: state.stages_config_fingerprint } : {}),
    currentStage: dropped.includes(state.current_stage)
      ? stages.stage_order.find((stage) => !completed[stage]) ?? state.current_stage
      : state.current_stage,
    status: state.status,
    elapsedSeconds: state.elapsed_seconds,
    maxSeconds: state.max_seconds,
    completed,
    stageStatus,
    acceptancePassed: state.acceptance_tests_passed,
    acceptanceIterations: state.acceptance_test_iterations,
    acceptanceHistory: state.acceptance_test_history,
    error: state.error ?? null,
    // A snapshot of another workflow cannot be restored: resume passes through the completed stages instead.
    ...(dropped.length > 0 ? { droppedStages: dropped } : { machine: withStoredOutputs(state.machine, state.stage_outputs) }),
  };
}

/** Puts the completed stages' outputs, stored once in stage_outputs, back into the snapshot's context. */
function withStoredOutputs(machine: StateFileV2['machine'], stageOutputs: Readonly<Record<string, string>>): StateFileV2['machine'] {
  const stages = Object.fromEntries(Object.entries(machine.context.stages).map(([id, record]) =>
    [id, record.status === 'completed' && record.output === undefined && stageOutputs[id] !== undefined
      ? { ...record, output: stageOutputs[id] }
      : record]));
  return { ...machine, context: { ...machine.context, stages } };
}
