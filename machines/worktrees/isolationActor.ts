import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fromPromise } from 'xstate';
import { crashPoint } from '../persistence/crashPoints.js';
import type { GroupWorktrees } from '../workflow/runContext.js';
import type { IsolationInput, IsolationLogic, IsolationOutput } from '../workflow/workflowSetup.js';
import { applyRegion, repositoryRoot } from './applyRegion.js';
import { snapshotWorkingTree } from './baseSnapshot.js';
import { conflictReportLines } from './conflictReport.js';
import { runGit } from '../../loader/gitCommands.js';
import { requireWorktreeMergeGit } from '../../loader/gitVersion.js';
import { removeLeftovers } from './leftovers.js';
import { addWorktree, commitRegion, removeWorktree } from './regionWorktrees.js';

export interface IsolationOptions {
  /** The project: the agents' working directory, inside the git repository. */
  readonly projectDir: string;
  /** `.teambot/<feature>`: the worktrees go under its `worktrees/`. */
  readonly featureDir: string;
  readonly feature: string;
  /** teambot's runs directory, never snapshotted nor merged. */
  readonly runsDir: string;
}

/**
 * The isolation actor the session gives the workflow (workflowSetup's
 * `isolation`) for groups with `isolation: worktree`: git worktrees per stage
 * made from a snapshot of the project, merged back three-way one stage at a
 * time, removed at the end. Every step can run again after a crash: prepare
 * keeps the worktrees of completed stages, and merging a stage whose changes
 * are in the project already changes nothing.
 *
 * @example compileWorkflow(stages, { stageAgent, isolation: createIsolationActor({ projectDir, featureDir, feature, runsDir }) })
 */
export function createIsolationActor(options: IsolationOptions): IsolationLogic {
  const worktreesDir = join(options.featureDir, 'worktrees');
  const refs = (group: string) => `refs/teambot/${options.feature}/${group}/`;
  return fromPromise<IsolationOutput, IsolationInput>(async ({ input }) => {
    const repoRoot = await repositoryRoot(options.projectDir);
    const exclude = [relative(repoRoot, options.runsDir) || '.teambot'];
    switch (input.op) {
      case 'prepare':
        await requireWorktreeMergeGit(repoRoot);
        return prepare(repoRoot, input, exclude);
      case 'merge':
        return merge(repoRoot, input.group, input.stage, input.worktrees, exclude);
      case 'cleanup':
        await removeLeftovers(repoRoot, { worktreesDir, refPrefix: refs(input.group) });
        return null;
    }
  });

  /** The base (kept from `current`, else the project now) and a fresh worktree for every stage to run. */
  async function prepare(repoRoot: string, input: Extract<IsolationInput, { op: 'prepare' }>, exclude: string[]): Promise<GroupWorktrees> {
    const base = input.current?.base ?? await snapshotWorkingTree(repoRoot, { ref: `${refs(input.group)}base`, exclude });
    const regions: Record<string, { path: string }> = {};
    for (const stage of input.stages) {
      const path = join(worktreesDir, stage);
      if (!input.fresh.includes(stage)) {
        // A completed stage keeps its worktree (its changes may not be merged yet).
        if (input.current?.regions[stage]) regions[stage] = input.current.regions[stage];
        continue;
      }
      // Run again (a failure, --rerun): from the base, not from what the earlier attempt left; a
      // worktree git still registers though its directory was deleted is forgotten first.
      await removeWorktree(repoRoot, path);
      await addWorktree(repoRoot, path, base);
      regions[stage] = { path };
    }
    return { base, regions, merged: (input.current?.merged ?? []).filter((stage) => !input.fresh.includes(stage)) };
  }

  async function merge(repoRoot: string, group: string, stage: string, worktrees: GroupWorktrees, exclude: string[]): Promise<IsolationOutput> {
    const region = worktrees.regions[stage];
    // No worktree: the stage completed before the group was isolated, in the project itself.
    if (region === undefined || !existsSync(region.path)) return { files: [] };
    const ref = `${refs(group)}${stage}`;
    const commit = await commitRegion(region.path, { base: worktrees.base, ref, message: `teambot: ${stage}`, exclude });
    const applied = await applyRegion(repoRoot, { base: worktrees.base, region: commit, exclude, label: stage });
    if (applied.kind === 'conflict') {
      const worktree = relative(options.projectDir, region.path);
      // The stages merged before, with the paths each changed: the report says whose change a file holds.
      const earlier = await Promise.all(worktrees.merged.map(async (merged) => ({
        stage: merged,
        paths: (await runGit(repoRoot, ['diff', '--name-only', '-z', worktrees.base, `${refs(group)}${merged}`], { okExitCodes: [128] })).stdout
          .split('\0').filter(Boolean),
      })));
      throw new Error([
        ...conflictReportLines(stage, applied.files, { regionRef: ref, applied: earlier }),
        `To go on: make ${stage}'s worktree (${worktree}) agree with your working tree, or change your working tree, then resume;`
          + ` or resume with --rerun ${stage} to run it again from the base.`,
      ].join('\n'));
    }
    crashPoint('merged');
    return { files: [...applied.files] };
  }
}
