import { runGit } from '../../loader/gitCommands.js';

/** One entry of merge-tree's conflicted-file info: a version of a conflicted path. */
export interface ConflictedEntry {
  readonly mode: string;
  readonly object: string;
  /** 1 the merge base's version, 2 ours (the user's working tree), 3 theirs (the region). */
  readonly stage: 1 | 2 | 3;
  readonly path: string;
}

/** One of merge-tree's informational messages: the paths it is about, its kind and its text. */
export interface MergeMessage {
  readonly paths: readonly string[];
  /** e.g. `Auto-merging`, `CONFLICT (contents)`, `CONFLICT (modify/delete)`. */
  readonly type: string;
  readonly text: string;
}

export interface MergeResult {
  readonly clean: boolean;
  /** The merged tree; when not clean, conflicted text files hold conflict markers. */
  readonly tree: string;
  readonly conflicted: readonly ConflictedEntry[];
  readonly messages: readonly MergeMessage[];
}

/**
 * Merges commits `ours` and `theirs` in git's object store alone (`git merge-tree --write-tree`,
 * git ≥ 2.38): no index, working tree, HEAD or ref is read for writing or written. The merge
 * base is the one git finds, so callers give both commits the base they mean as parent (git
 * 2.38 and 2.39 have no `--merge-base`). Conflicts are written diff3 style, the base's lines
 * between the two sides.
 *
 * @example await mergeTrees('/repo', userSnapshot, region) // { clean: true, tree: '9f2c…', conflicted: [], messages: [] }
 */
export async function mergeTrees(repoRoot: string, ours: string, theirs: string): Promise<MergeResult> {
  const { stdout, exitCode } = await runGit(
    repoRoot,
    ['-c', 'merge.conflictStyle=diff3', 'merge-tree', '--write-tree', '-z', ours, theirs],
    { okExitCodes: [1] },
  );
  return { ...parseMergeTreeOutput(stdout), clean: exitCode === 0 };
}

/**
 * merge-tree's `-z` output as fields: the tree, then the conflicted-file info
 * (`<mode> <object> <stage>\t<path>`) up to an empty field, then the messages
 * (`<count>`, that many paths, `<type>`, `<text>`).
 *
 * @example parseMergeTreeOutput('4b82…\0') // { tree: '4b82…', conflicted: [], messages: [] }
 */
export function parseMergeTreeOutput(output: string): Omit<MergeResult, 'clean'> {
  const fields = output.split('\0');
  const tree = fields[0] ?? '';
  const conflicted: ConflictedEntry[] = [];
  let index = 1;
  for (; index < fields.length; index += 1) {
    const match = /^(\d{6}) ([0-9a-f]+) ([123])\t([\s\S]*)$/.exec(fields[index] ?? '');
    if (!match) break;
    conflicted.push({ mode: match[1]!, object: match[2]!, stage: Number(match[3]) as 1 | 2 | 3, path: match[4]! });
  }
  if (fields[index] === '') index += 1;
  const messages: MergeMessage[] = [];
  while (index < fields.length && /^\d+$/.test(fields[index] ?? '')) {
    const count = Number(fields[index]);
    const paths = fields.slice(index + 1, index + 1 + count);
    const type = fields[index + 1 + count] ?? '';
    const text = (fields[index + 2 + count] ?? '').replace(/\n$/, '');
    messages.push({ paths, type, text });
    index += count + 3;
  }
  return { tree, conflicted, messages };
}
