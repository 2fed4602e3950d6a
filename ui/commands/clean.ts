import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError, wholeFileIssue } from '../../loader/inputIssue.js';
import { loadConfiguration } from '../../loader/loadConfiguration.js';
import { readStateFile } from '../../loader/readStateFile.js';
import { STATE_FILE_NAME } from '../../loader/stateFile.js';
import { liveRunOwner } from '../../machines/persistence/runLock.js';
import { savedWorktrees } from '../../machines/session/resumePlan.js';
import type { Removed } from '../../machines/worktrees/leftovers.js';
import type { CommandIo } from '../commandIo.js';
import { ExitCode } from '../exitCodes.js';
import { terminalLine } from '../text/terminalText.js';

export interface CleanOptions {
  readonly cwd: string;
  readonly projectRoot: string;
  /** A feature name; every feature of the runs directory when absent. */
  readonly feature?: string | undefined;
  readonly config?: string | undefined;
  readonly stages?: string | undefined;
  /** Also discard changes an unfinished run has not merged yet. */
  readonly force: boolean;
}

/**
 * `teambot clean`: removes the git worktrees and private refs
 * (`refs/teambot/<feature>/`) that groups with `isolation: worktree` leave
 * when a run stops before merging them (a conflict, a crash). A live run is
 * never touched; a stopped run whose worktrees hold changes not merged yet is
 * kept unless --force, since cleaning would discard them.
 */
export async function cleanCommand(options: CleanOptions, io: CommandIo): Promise<number> {
  const configuration = await loadConfiguration({ cwd: options.cwd, projectRoot: options.projectRoot, env: io.env, stagesPath: options.stages, configPath: options.config });
  const runsDirectory = resolve(options.projectRoot, configuration.teambot.teambot_dir);
  if (options.feature !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(options.feature)) {
    throw new InputError([wholeFileIssue({
      file: options.feature, rule: 'clean-not-a-feature',
      message: 'not a feature name: a run\'s directory under the runs directory, letters, digits, ".", "_" and "-"',
      fix: 'name the feature as `teambot status` shows it (e.g. dark-mode-toggle), or give no name to clean every run',
    })]);
  }
  const features = options.feature !== undefined ? [options.feature]
    : existsSync(runsDirectory) ? readdirSync(runsDirectory, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name) : [];
  const { removeLeftovers, removeOrphans } = await import('../../machines/worktrees/leftovers.js');
  const { repositoryRoot } = await import('../../machines/worktrees/applyRegion.js');
  const repoRoot = await repositoryRoot(options.projectRoot).catch(() => undefined);
  let exitCode: number = ExitCode.ok;
  const say = (feature: string, text: string) => io.stdout.write(`${terminalLine(feature)}: ${text}\n`);
  const removedText = ({ worktrees, refs }: Removed) =>
    `removed ${worktrees} ${worktrees === 1 ? 'worktree' : 'worktrees'} and ${refs} private ${refs === 1 ? 'ref' : 'refs'}`;
  for (const feature of features) {
    const featureDir = join(runsDirectory, feature);
    const owner = liveRunOwner(featureDir);
    if (owner) {
      say(feature, `a run is going on (teambot pid ${owner.pid}); nothing removed`);
      exitCode = ExitCode.unsuccessful;
      continue;
    }
    const unmerged = await unmergedStages(join(featureDir, STATE_FILE_NAME), configuration.stages);
    if (unmerged.length > 0 && !options.force) {
      say(feature, `its worktrees hold changes not merged yet (${unmerged.map(terminalLine).join(', ')}); resume the run to merge them, or clean --force to discard them`);
      exitCode = ExitCode.unsuccessful;
      continue;
    }
    if (repoRoot === undefined) continue;
    const removed = await removeLeftovers(repoRoot, { worktreesDir: join(featureDir, 'worktrees'), refPrefix: `refs/teambot/${feature}/` });
    if (removed.worktrees + removed.refs > 0) say(feature, removedText(removed));
  }
  if (options.feature === undefined && repoRoot !== undefined) {
    const orphans = await removeOrphans(repoRoot, runsDirectory, features);
    if (orphans.worktrees + orphans.refs > 0) io.stdout.write(`runs deleted by hand: ${removedText(orphans)} git still kept for them\n`);
  }
  if (exitCode === ExitCode.ok) io.stdout.write('nothing else to clean\n');
  return exitCode;
}

/** The isolated stages of a stopped run that completed but are not in the project yet. */
async function unmergedStages(statePath: string, stages: Parameters<typeof readStateFile>[1]): Promise<string[]> {
  if (!existsSync(statePath)) return [];
  const state = await readStateFile(statePath, stages, { dropUnknownStages: true }).catch(() => undefined);
  if (state === undefined || state.status === 'complete') return [];
  return Object.values(savedWorktrees(state) ?? {}).flatMap((group) => Object.keys(group.regions).filter((stage) => state.completed[stage] && !group.merged.includes(stage)));
}
