import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadConfiguration } from '../../loader/loadConfiguration.js';
import { readStateFile } from '../../loader/readStateFile.js';
import type { LoadedRunState } from '../../loader/stateFile.js';
import type { StagesConfig } from '../../loader/stagesSchema.js';
import { shownPath } from '../../loader/shownPath.js';
import type { CommandIo } from '../commandIo.js';
import { ExitCode } from '../exitCodes.js';
import { formatDuration } from '../text/duration.js';
import { INTERRUPTED } from '../text/stageWords.js';
import { locateStateFile } from '../../machines/persistence/stateLocation.js';
import { groupOfStage } from '../../loader/parallelGroups.js';

export interface StatusOptions {
  readonly cwd: string;
  readonly target?: string | undefined;
  readonly config?: string | undefined;
  readonly stages?: string | undefined;
  readonly json: boolean;
}

/**
 * `teambot status`: what a run's state file says, ours or TeamBot's: every
 * stage with its status and duration, each parallel group's per-stage flags,
 * elapsed time and limit, the last error, and the command to resume.
 */
export async function statusCommand(options: StatusOptions, io: CommandIo): Promise<number> {
  const configuration = await loadConfiguration({ cwd: options.cwd, stagesPath: options.stages, configPath: options.config });
  const statePath = locateStateFile(options.cwd, configuration.teambot.teambot_dir, options.target);
  const state = await readStateFile(statePath, configuration.stages);
  const resume = state.status === 'complete' ? null : `teambot run --resume ${shownPath(options.cwd, dirname(statePath))}`;
  if (options.json) {
    io.stdout.write(`${JSON.stringify(statusJson(state, configuration.stages, resume), null, 2)}\n`);
  } else {
    io.stdout.write(renderStatus(state, configuration.stages, options.cwd, resume));
  }
  return ExitCode.ok;
}

function statusJson(state: LoadedRunState, stages: StagesConfig, resume: string | null) {
  return {
    feature: state.featureName,
    state_file: state.path,
    schema_version: state.schemaVersion,
    objective_file: state.objectiveFile,
    status: state.status,
    current_stage: state.currentStage,
    elapsed_seconds: state.elapsedSeconds,
    max_seconds: state.maxSeconds,
    stages: stages.stage_order.map((id) => ({ id, ...stageLine(state, id) })),
    parallel_groups: Object.fromEntries(Object.values(stages.parallel_groups).map((group) => [
      group.id, Object.fromEntries(group.stages.map((id) => [id, stageLine(state, id).status])),
    ])),
    acceptance: { passed: state.acceptancePassed, iterations: state.acceptanceIterations },
    error: state.error,
    resume_command: resume,
  };
}

function stageLine(state: LoadedRunState, id: string): { status: string; duration_ms?: number; error?: string } {
  const recorded = state.stageStatus[id];
  const unfinished = recorded?.status === 'running' || recorded?.status === 'in_progress';
  // A stage still marked running in a run that stopped was interrupted; a run in progress may still be running it.
  const status = state.completed[id] ? 'completed'
    : unfinished && state.status !== 'in_progress' ? INTERRUPTED : recorded?.status ?? 'pending';
  return {
    status,
    ...(recorded?.duration_ms !== undefined ? { duration_ms: recorded.duration_ms } : {}),
    ...(recorded?.error ? { error: recorded.error } : {}),
  };
}

const MARKS: Record<string, string> = {
  completed: '✓', failed: '✗', in_progress: '…', running: '…', aborted: '■', [INTERRUPTED]: '■', skipped: '↷', pending: '·',
};

function renderStatus(state: LoadedRunState, stages: StagesConfig, cwd: string, resume: string | null): string {
  const updated = statSync(state.path).mtime.toISOString();
  const lines = [
    `${state.featureName}: ${state.status}${state.schemaVersion === 1 ? ' (TeamBot state file)' : ''}`,
    `  objective  ${state.objectiveFile}`,
    `  state      ${shownPath(cwd, state.path)} (updated ${updated})`,
    `  elapsed    ${formatDuration(state.elapsedSeconds * 1000)} of ${formatDuration(state.maxSeconds * 1000)}`,
    `  current    ${state.currentStage}`,
    '',
  ];
  const groupOf = groupOfStage(stages);
  const width = Math.max(...stages.stage_order.map((id) => id.length)) + 4;
  for (const id of stages.stage_order) {
    const group = groupOf.get(id);
    if (group && group.stages[0] === id) lines.push(`  ┌ parallel group ${group.id}`);
    const branch = !group ? '' : group.stages.at(-1) === id ? '└─ ' : '├─ ';
    const line = stageLine(state, id);
    const time = line.duration_ms !== undefined ? formatDuration(line.duration_ms) : '';
    lines.push(`  ${branch}${MARKS[line.status] ?? '?'} ${id.padEnd(width - branch.length)}${line.status.padEnd(13)}${time.padEnd(9)}${line.error ?? ''}`.trimEnd());
  }
  if (state.acceptanceIterations > 0) {
    lines.push('', `  acceptance tests: ${state.acceptancePassed ? 'passed' : 'not passed'} after ${state.acceptanceIterations} round(s)`);
  }
  if (state.error) lines.push('', `  last error: ${state.error}`);
  if (resume) lines.push('', `  resume: ${resume}`);
  return `${lines.join('\n')}\n`;
}

