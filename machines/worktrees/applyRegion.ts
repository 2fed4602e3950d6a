import { conflictHunks } from './conflictHunks.js';
import { gitLine, runGit, runGitBytes } from '../../loader/gitCommands.js';
import { requireWorktreeMergeGit } from '../../loader/gitVersion.js';
import { mergeTrees, type MergeResult } from './mergeTree.js';
import { commitWorkingTree } from './workingTreeCommit.js';

export interface ApplyRegionOptions {
  /** The base snapshot every region's worktree was made from. */
  readonly base: string;
  /** The region's commit (commitRegion's answer), whose parent is `base`. */
  readonly region: string;
  /** Paths never read nor written: teambot's runs directory. */
  readonly exclude: readonly string[];
  /** What the region is called in conflict hunks and messages: its stage id. */
  readonly label?: string;
}

/** How a file of the user's working tree changed: content, existence or only its mode. */
export type FileChange = 'added' | 'modified' | 'deleted' | 'mode';

export interface AppliedFile {
  readonly path: string;
  readonly change: FileChange;
}

export interface ConflictFile {
  readonly path: string;
  /** What kind of conflict git found, e.g. `contents`, `modify/delete`, `binary`. */
  readonly kinds: readonly string[];
  /** The conflict blocks (diff3 style, labelled) or, for a file without any, git's explanation. */
  readonly hunks: string;
}

export type ApplyResult =
  | { readonly kind: 'applied'; readonly files: readonly AppliedFile[] }
  | { readonly kind: 'conflict'; readonly files: readonly ConflictFile[] };

/** What the user's side of a conflict is called. */
export const WORKING_TREE_LABEL = 'your working tree';
const BASE_LABEL = 'base (when the group started)';

/**
 * Brings a region's changes (`base` → `region`) into the user's working tree by a three-way
 * merge with what the working tree holds now, files' modes, deletions and binary files
 * included. The working tree is recorded as a commit on `base` (a temporary index: the user's
 * index is not touched), merged with the region in the object store, and only a clean merge
 * is written: `git diff --binary` from the working tree's recording to the merge, applied with
 * `git apply` (working tree only, all or nothing). A conflict changes nothing and says which
 * files and hunks. Applying a region whose changes are already there is clean and changes
 * nothing (both sides made the same change), so re-applying after a crash is safe.
 *
 * @example await applyRegion('/repo', { base, region, exclude: ['.teambot'], label: 'BUILD' })
 * // { kind: 'applied', files: [{ path: 'src/a.ts', change: 'modified' }] }
 */
export async function applyRegion(repoRoot: string, options: ApplyRegionOptions): Promise<ApplyResult> {
  await requireWorktreeMergeGit(repoRoot);
  const label = options.label ?? 'the region';
  const now = await commitWorkingTree(repoRoot, {
    parents: [options.base],
    exclude: options.exclude,
    message: 'teambot: your working tree before a region is applied',
  });
  const merge = await mergeTrees(repoRoot, now.commit, options.region);
  if (!merge.clean) {
    const names = new Map([[now.commit, WORKING_TREE_LABEL], [options.region, label]]);
    return { kind: 'conflict', files: await conflictFiles(repoRoot, merge, names, label) };
  }
  const files = await changedFiles(repoRoot, now.tree, merge.tree);
  if (files.length > 0) await writeToWorkingTree(repoRoot, now.tree, merge.tree);
  return { kind: 'applied', files };
}

/** The files that differ between two trees, and how. */
async function changedFiles(repoRoot: string, from: string, to: string): Promise<AppliedFile[]> {
  const { stdout } = await runGit(repoRoot, ['diff-tree', '-r', '-z', '--no-renames', '--no-abbrev', from, to]);
  const fields = stdout.split('\0');
  const files: AppliedFile[] = [];
  for (let index = 0; index + 1 < fields.length; index += 2) {
    const [oldMode, newMode, oldObject, newObject, status] = (fields[index] ?? '').replace(/^:/, '').split(' ');
    const path = fields[index + 1] ?? '';
    const change: FileChange = status === 'A' ? 'added' : status === 'D' ? 'deleted'
      : oldObject === newObject && oldMode !== newMode ? 'mode' : 'modified';
    files.push({ path, change });
  }
  return files;
}

/** The working tree, which holds `from`, made to hold `to`: one binary patch, applied whole or not at all. */
async function writeToWorkingTree(repoRoot: string, from: string, to: string): Promise<void> {
  const patch = await runGitBytes(repoRoot, [
    'diff', '--binary', '--full-index', '--no-renames', '--no-ext-diff', '--no-textconv', '--no-color',
    '--no-relative', '--src-prefix=a/', '--dst-prefix=b/', from, to,
  ]);
  // The user's apply.* settings could rewrite whitespace or loosen matching; the patch goes in as made.
  await runGit(repoRoot, ['-c', 'apply.whitespace=nowarn', '-c', 'apply.ignoreWhitespace=no', 'apply', '-'], { input: patch.stdout });
}

/** Each conflicted path: the kinds of conflict and the hunks (or git's words when there are no markers). */
async function conflictFiles(repoRoot: string, merge: MergeResult, names: ReadonlyMap<string, string>, label: string): Promise<ConflictFile[]> {
  const conflicts = merge.messages.filter((message) => message.type.startsWith('CONFLICT'));
  const paths = [...new Set([...merge.conflicted.map((entry) => entry.path), ...conflicts.flatMap((message) => message.paths)])];
  const files: ConflictFile[] = [];
  for (const path of paths) {
    const about = conflicts.filter((message) => message.paths.includes(path));
    const kinds = [...new Set(about.map((message) => message.type.replace(/^CONFLICT \((.*)\)$/, '$1')))];
    const hunks = await markerHunks(repoRoot, merge, path, label);
    files.push({ path, kinds, hunks: hunks ?? about.map((message) => renamed(message.text, names)).join('\n') });
  }
  return files;
}

/** The labelled conflict blocks of `path` in the merged tree, or undefined when it has none. */
async function markerHunks(repoRoot: string, merge: MergeResult, path: string, label: string): Promise<string | undefined> {
  const sides = new Set(merge.conflicted.filter((entry) => entry.path === path).map((entry) => entry.stage));
  if (!sides.has(2) || !sides.has(3)) return undefined;
  const object = await runGit(repoRoot, ['rev-parse', '--verify', '--quiet', `${merge.tree}:${path}`], { okExitCodes: [1] });
  if (object.exitCode !== 0) return undefined;
  const text = (await runGit(repoRoot, ['cat-file', 'blob', object.stdout.trim()])).stdout;
  const hunks = conflictHunks(text, { ours: WORKING_TREE_LABEL, base: BASE_LABEL, theirs: label });
  return hunks.length > 0 ? hunks.join('\n') : undefined;
}

/** git's message with commit ids replaced by what they are. */
function renamed(text: string, names: ReadonlyMap<string, string>): string {
  let result = text;
  for (const [commit, name] of names) result = result.split(commit).join(name);
  return result;
}

/** The top-level directory of the repository holding `dir`. @example await repositoryRoot('/repo/src') // '/repo' */
export async function repositoryRoot(dir: string): Promise<string> {
  return gitLine(dir, ['rev-parse', '--show-toplevel']);
}
