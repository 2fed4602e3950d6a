/** Checks both state file versions share: the file is an object, and every stage it names exists. */
import { InputError, type InputIssue } from './inputIssue.js';
import type { DataPath, SourceDocument } from './sourceDocument.js';
import type { StagesConfig } from './stagesSchema.js';
import { nearestName } from './suggestName.js';

import { GROUP_PREFIX } from './parallelGroups.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The document's value as an object, or an InputError saying why it is not a state file. */
export function requireStateObject(document: SourceDocument): Record<string, unknown> {
  const value = document.value;
  if (isRecord(value)) return value;
  throw new InputError([{
    file: document.file, ...document.locate([]), rule: 'state-invalid',
    message: 'a state file must be a JSON object with "current_stage" and "status"',
    fix: 'point teambot at the run\'s .teambot/<feature>/orchestration_state.json, or start a new run',
  }]);
}

/**
 * `state-stage-missing` for every stage the state file names that the
 * configuration does not define: the run was made with another stages.yaml.
 */
export function undefinedStageIssues(
  document: SourceDocument,
  stages: StagesConfig,
  named: readonly { readonly stage: string; readonly path: DataPath }[],
  madeWith: string,
): InputIssue[] {
  const defined = new Set([...Object.keys(stages.stages), ...stages.stage_order]);
  const hint = madeWith ? ` (the state file names ${madeWith})` : '';
  return named.filter(({ stage }) => !defined.has(stage)).map(({ stage, path }) => ({
    file: document.file, ...document.locate(path, { key: true }), subject: `stage ${stage}`, rule: 'state-stage-missing',
    message: `the state file records stage "${stage}", which the stages configuration (${stages.source}) does not define`,
    fix: `resume with the stages.yaml the run was made with: --stages <file>${hint}`,
  }));
}

/** Whether `current_stage` names a stage of the configuration or `PARALLEL_GROUP:<group id>`. */
export function isKnownCurrentStage(stages: StagesConfig, currentStage: string): boolean {
  return currentStageNames(stages).includes(currentStage);
}

/** `state-unknown-stage` for a `current_stage` the configuration does not have, with the nearest name. */
export function unknownCurrentStageIssue(document: SourceDocument, stages: StagesConfig, currentStage: string): InputIssue {
  const nearest = nearestName(currentStage, currentStageNames(stages));
  return {
    file: document.file, ...document.locate(['current_stage']), rule: 'state-unknown-stage',
    message: `current_stage "${currentStage}" is not a stage or parallel group of the stages configuration (${stages.source})`,
    fix: `${nearest ? `did you mean "${nearest}"? If so, correct current_stage; otherwise ` : ''}`
      + 'resume with the stages.yaml the run was made with: --stages <file>',
  };
}

function currentStageNames(stages: StagesConfig): string[] {
  return [...stages.stage_order, ...Object.keys(stages.parallel_groups).map((id) => GROUP_PREFIX + id)];
}

/**
 * The names among `names` that are neither a stage of the configuration nor one of
 * its parallel groups (`PARALLEL_GROUP:<id>`), each once; `halted` is the machine's own state.
 */
export function unknownStages(stages: StagesConfig, names: readonly string[]): string[] {
  const known = new Set([...Object.keys(stages.stages), ...currentStageNames(stages), 'halted', '']);
  return [...new Set(names.filter((name) => !known.has(name)))];
}
