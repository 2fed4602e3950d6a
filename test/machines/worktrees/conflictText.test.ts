import { describe, expect, it } from 'vitest';
import { conflictHunks } from '../../../machines/worktrees/conflictHunks.js';
import { conflictReportLines } from '../../../machines/worktrees/conflictReport.js';
import { parseGitVersion, supportsWorktreeMerge } from '../../../loader/gitVersion.js';
import { parseMergeTreeOutput } from '../../../machines/worktrees/mergeTree.js';

const LABELS = { ours: 'your working tree', base: 'base', theirs: 'BUILD_B' };

describe('conflict hunks', () => {
  it('keeps each conflict block with its first line number and names its sides', () => {
    const text = ['a', '<<<<<<< 1f2e3d', 'X', '||||||| 0a9b', 'b', '=======', 'Y', '>>>>>>> 7c6d5e', 'c', '<<<<<<< 1f2e3d', '=======', 'Z', '>>>>>>> 7c6d5e', ''].join('\n');
    expect(conflictHunks(text, LABELS)).toEqual([
      '@@ line 2 @@\n<<<<<<< your working tree\nX\n||||||| base\nb\n=======\nY\n>>>>>>> BUILD_B',
      '@@ line 10 @@\n<<<<<<< your working tree\n=======\nZ\n>>>>>>> BUILD_B',
    ]);
  });

  it('finds none in a file without markers, and ignores lines that only look like them', () => {
    expect(conflictHunks('a\n<<<<<<<<< not a marker\nb\n', LABELS)).toEqual([]);
  });
});

describe('merge-tree output', () => {
  it('reads a clean merge', () => {
    expect(parseMergeTreeOutput('4b825dc\0')).toEqual({ tree: '4b825dc', conflicted: [], messages: [] });
  });

  it('reads the conflicted versions and the messages, paths with spaces included', () => {
    const output = ['t1', '100644 aaa 1\ta b.txt', '100644 bbb 2\ta b.txt', '100755 ccc 3\ta b.txt', '',
      '1', 'a b.txt', 'Auto-merging', 'Auto-merging a b.txt\n', '1', 'a b.txt', 'CONFLICT (contents)', 'CONFLICT (content): Merge conflict in a b.txt\n', ''].join('\0');
    expect(parseMergeTreeOutput(output)).toEqual({
      tree: 't1',
      conflicted: [
        { mode: '100644', object: 'aaa', stage: 1, path: 'a b.txt' },
        { mode: '100644', object: 'bbb', stage: 2, path: 'a b.txt' },
        { mode: '100755', object: 'ccc', stage: 3, path: 'a b.txt' },
      ],
      messages: [
        { paths: ['a b.txt'], type: 'Auto-merging', text: 'Auto-merging a b.txt' },
        { paths: ['a b.txt'], type: 'CONFLICT (contents)', text: 'CONFLICT (content): Merge conflict in a b.txt' },
      ],
    });
  });
});

describe('git versions', () => {
  it('reads git version lines and knows which merge without a working tree', () => {
    expect(parseGitVersion('git version 2.39.5')).toEqual([2, 39, 5]);
    expect(parseGitVersion('git version 2.45.1.windows.1')).toEqual([2, 45, 1]);
    expect(parseGitVersion('git version 3.0')).toEqual([3, 0, 0]);
    expect(parseGitVersion('hub version 2.14')).toBeUndefined();
    expect(supportsWorktreeMerge([2, 37, 9])).toBe(false);
    expect(supportsWorktreeMerge([2, 38, 0])).toBe(true);
    expect(supportsWorktreeMerge([3, 0, 0])).toBe(true);
  });
});

describe('the conflict report', () => {
  it('names the stage, each file with its kind and whose change it holds, and the hunks', () => {
    const lines = conflictReportLines('BUILD_B', [
      { path: 'src/a.ts', kinds: ['contents'], hunks: '@@ line 3 @@\n<<<<<<< your working tree\nA\n=======\nB\n>>>>>>> BUILD_B' },
      { path: 'old.txt', kinds: ['modify/delete'], hunks: 'CONFLICT (modify/delete): old.txt deleted in BUILD_B and modified in your working tree.' },
    ], { applied: [{ stage: 'BUILD_A', paths: ['src/a.ts', 'x.ts'] }], regionRef: 'refs/teambot/f/regions/BUILD_B' });
    expect(lines).toEqual([
      "BUILD_B's changes conflict with your working tree, so none of them were applied; your working tree is as it was.",
      '  src/a.ts (contents; also changed by BUILD_A)',
      '    @@ line 3 @@',
      '    <<<<<<< your working tree',
      '    A',
      '    =======',
      '    B',
      '    >>>>>>> BUILD_B',
      '  old.txt (modify/delete; changed in your working tree since the group started)',
      '    CONFLICT (modify/delete): old.txt deleted in BUILD_B and modified in your working tree.',
      "BUILD_B's changes are kept: git show refs/teambot/f/regions/BUILD_B",
    ]);
  });

  it('cuts long hunks and says how much is left out', () => {
    const hunks = Array.from({ length: 45 }, (_, index) => `line ${index}`).join('\n');
    const lines = conflictReportLines('S', [{ path: 'p', kinds: [], hunks }], { maxHunkLines: 40 });
    expect(lines).toHaveLength(1 + 1 + 40 + 1);
    expect(lines[1]).toBe('  p (conflict; changed in your working tree since the group started)');
    expect(lines.at(-1)).toBe('    … 5 more lines');
  });
});
