import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadConfiguration } from '../../loader/loadConfiguration.js';
import { readStateFile } from '../../loader/readStateFile.js';
import type { LoadedRunState } from '../../loader/stateFile.js';
import type { StagesConfig } from '../../loader/stagesSchema.js';
import { shownPath } from '../../loader/shownPath.js';
import type { CommandIo } from '../commandIo.js';
import { ExitCode } from '../exitCodes.js';
import { formatDuration } from '../text/duration.js';
import { INTERRUPTED, markOfState } from '../text/stageWords.js';
import { locateStateFile } from '../../machines/persistence/stateLocation.js';
import { liveRunOwner } from '../../machines/persistence/runLock.js';
import { recordedAgents, type RecordedAgent } from '../../machines/persistence/agentsFile.js';
import { stagesHash } from '../../loader/stagesFingerprint.js';
import { resumeCommandLine } from '../text/resumeCommand.js';
import { terminalJson, terminalLine } from '../text/terminalText.js';
import { groupOfStage } from '../../loader/parallelGroups.js';

export interface StatusOptions {
  readonly cwd: string;
  /** The project (findProject): configuration and runs. */
  readonly projectRoot: string;
  readonly target?: string | undefined;
  readonly config?: string | undefined;
  readonly stages?: string | undefined;
  readonly json: boolean;
}

/** Whether a run is going on now, stopped without finishing, or over. */
type Liveness =
  | { readonly state: 'running'; readonly pid: number; readonly hostname: string; readonly since: string }
  | { readonly state: 'interrupted'; readonly strayAgents: readonly RecordedAgent[] }
  | { readonly state: 'finished'; readonly strayAgents: readonly RecordedAgent[] };

/**
 * `teambot status`: what a run's state file says, ours or TeamBot's: every
 * stage with its status and duration, each parallel group's per-stage flags,
 * elapsed time and limit, the last error, and the command to resume; and,
 * from its lock, whether a teambot process is running it now.
 */
export async function statusCommand(options: StatusOptions, io: CommandIo): Promise<number> {
  const configuration = await loadConfiguration({ cwd: options.cwd, projectRoot: options.projectRoot, env: io.env, stagesPath: options.stages, configPath: options.config });
  const runsDirectory = resolve(options.projectRoot, configuration.teambot.teambot_dir);
  const statePath = await locateStateFile({ cwd: options.cwd, projectRoot: options.projectRoot, teambotDir: configuration.teambot.teambot_dir, target: options.target });
  const state = await readStateFile(statePath, configuration.stages, { dropUnknownStages: false });
  const featureDir = dirname(statePath);
  const liveness = livenessOf(state, featureDir);
  const resume = liveness.state !== 'interrupted' ? null : resumeCommandLine({
    featureDir, featureName: state.featureName, cwd: options.cwd, runsDirectory,
    status: state.status, elapsedSeconds: state.elapsedSeconds, maxSeconds: state.maxSeconds,
    configurationChanged: state.stagesConfigHash !== undefined && state.stagesConfigHash !== stagesHash(configuration.stages),
  }, io.invocation ?? 'teambot');
  if (options.json) {
    io.stdout.write(`${terminalJson(statusJson(state, configuration.stages, liveness, resume), 2)}\n`);
  } else {
    io.stdout.write(renderStatus(state, configuration.stages, options.cwd, liveness, resume));
  }
  return ExitCode.ok;
}

/**
 * A run `in_progress` whose lock no live process holds was killed or crashed: it is
 * interrupted. Agents its teambot recorded that still run (their teambot was SIGKILLed
 * and its watchdog too) are named: the next run or resume stops them first.
 */
function livenessOf(state: LoadedRunState, featureDir: string): Liveness {
  const owner = liveRunOwner(featureDir);
  if (owner) return { state: 'running', pid: owner.pid, hostname: owner.hostname, since: owner.started_at };
  const strayAgents = recordedAgents(featureDir).filter((agent) => agent.alive);
  return state.status === 'complete' ? { state: 'finished', strayAgents } : { state: 'interrupted', strayAgents };
}

function statusJson(state: LoadedRunState, stages: StagesConfig, liveness: Liveness, resume: string | null) {
  return {
    feature: state.featureName,
    state_file: state.path,
    schema_version: state.schemaVersion,
    objective_file: state.objectiveFile,
    status: state.status,
    run: liveness.state,
    ...(liveness.state === 'running' ? { process: { pid: liveness.pid, hostname: liveness.hostname, since: liveness.since } } : {}),
    ...(liveness.state !== 'running' && liveness.strayAgents.length > 0
      ? { stray_agents: liveness.strayAgents.map((agent) => ({ stage: agent.stage, pid: agent.pid, started_at: agent.startedAt })) }
      : {}),
    current_stage: state.currentStage,
    elapsed_seconds: state.elapsedSeconds,
    max_seconds: state.maxSeconds,
    stages: stages.stage_order.map((id) => ({ id, ...stageLine(state, id, liveness) })),
    parallel_groups: Object.fromEntries(Object.values(stages.parallel_groups).map((group) => [
      group.id, Object.fromEntries(group.stages.map((id) => [id, stageLine(state, id, liveness).status])),
    ])),
    acceptance: { passed: state.acceptancePassed, iterations: state.acceptanceIterations },
    error: state.error,
    resume_command: resume,
  };
}

function stageLine(state: LoadedRunState, id: string, liveness: Liveness): { status: string; duration_ms?: number; error?: string } {
  const recorded = state.stageStatus[id];
  const unfinished = recorded?.status === 'running' || recorded?.status === 'in_progress';
  // A stage still marked running is running only while a process runs the run; otherwise the run stopped under it.
  const status = state.completed[id] ? 'completed'
    : unfinished ? (liveness.state === 'running' ? 'running' : INTERRUPTED) : recorded?.status ?? 'pending';
  return {
    status,
    ...(recorded?.duration_ms !== undefined ? { duration_ms: recorded.duration_ms } : {}),
    ...(recorded?.error ? { error: recorded.error } : {}),
  };
}

function renderStatus(state: LoadedRunState, stages: StagesConfig, cwd: string, liveness: Liveness, resume: string | null): string {
  const updated = statSync(state.path).mtime.toISOString();
  const lines = [
    `${state.featureName}: ${headline(state, liveness)}${state.schemaVersion === 1 ? ' (TeamBot state file)' : ''}`,
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
    const line = stageLine(state, id, liveness);
    const time = line.duration_ms !== undefined ? formatDuration(line.duration_ms) : '';
    lines.push(`  ${branch}${markOfState(line.status)} ${id.padEnd(width - branch.length)}${line.status.padEnd(13)}${time.padEnd(9)}${line.error ?? ''}`.trimEnd());
  }
  if (state.acceptanceIterations > 0) {
    lines.push('', `  acceptance tests: ${state.acceptancePassed ? 'passed' : 'not passed'} after ${state.acceptanceIterations} round(s)`);
  }
  if (state.error) {
    const [first, ...more] = state.error.split(/\r?\n/);
    lines.push('', `  last error: ${first}`, ...more.map((line) => `    ${line}`));
  }
  if (liveness.state === 'running') lines.push('', `  to stop it: Ctrl+C where it runs, or kill -INT ${liveness.pid}`);
  else if (liveness.strayAgents.length > 0) {
    const agents = liveness.strayAgents.map((agent) => `${agent.stage} (pid ${agent.pid})`).join(', ');
    lines.push('', `  still running without teambot: ${agents}; the next run or resume stops them first`);
  }
  if (resume) lines.push('', `  resume: ${resume}`);
  // A state file, its directory's name and the lock are anyone's to write (a repository may
  // hold them): every line is made safe. Status prints no colour of its own, so no line holds
  // an escape code teambot meant.
  return `${lines.map(terminalLine).join('\n')}\n`;
}

/** `running (pid 4242 on host, since …)`, `interrupted (…)`, or the final status. */
function headline(state: LoadedRunState, liveness: Liveness): string {
  if (liveness.state === 'running') return `running (pid ${liveness.pid} on ${liveness.hostname}, since ${liveness.since})`;
  if (state.status === 'in_progress') return `${INTERRUPTED} (no teambot process is running it: it was killed or crashed)`;
  return state.status;
}
