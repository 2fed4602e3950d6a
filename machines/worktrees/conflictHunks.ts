/** What the three sides of a conflict are called in the hunks teambot shows. */
export interface ConflictLabels {
  readonly ours: string;
  readonly base: string;
  readonly theirs: string;
}

/**
 * The conflict blocks of a merged file (diff3 style, as mergeTrees writes them), each headed
 * by the line it starts on, with git's labels (commit ids) replaced by `labels`. Text outside
 * the blocks is left out; a file without markers (a binary file, a modify/delete) has none.
 *
 * @example
 * conflictHunks('a\n<<<<<<< 1f2e\nX\n||||||| 0a9b\nb\n=======\nY\n>>>>>>> 7c6d\n', { ours: 'your working tree', base: 'base', theirs: 'BUILD' })
 * // ['@@ line 2 @@\n<<<<<<< your working tree\nX\n||||||| base\nb\n=======\nY\n>>>>>>> BUILD']
 */
export function conflictHunks(text: string, labels: ConflictLabels): string[] {
  const lines = text.split('\n');
  const hunks: string[] = [];
  let block: string[] | undefined;
  lines.forEach((line, index) => {
    if (block === undefined) {
      if (/^<{7}(?: |$)/.test(line)) block = [`@@ line ${index + 1} @@`, `<<<<<<< ${labels.ours}`];
      return;
    }
    if (/^\|{7}(?: |$)/.test(line)) block.push(`||||||| ${labels.base}`);
    else if (/^>{7}(?: |$)/.test(line)) {
      block.push(`>>>>>>> ${labels.theirs}`);
      hunks.push(block.join('\n'));
      block = undefined;
    } else block.push(line);
  });
  return hunks;
}
