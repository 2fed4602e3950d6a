import { readFile, stat } from 'node:fs/promises';
import { InputError, sortIssues, wholeFileIssue } from './inputIssue.js';
import { parseObjective, type Objective } from './objective.js';
import { objectiveIssues } from './objectiveRules.js';
import { decodeUtf8 } from './sourceDocument.js';

/** Objective files are prose; anything bigger is almost certainly the wrong file. */
const MAX_OBJECTIVE_BYTES = 1024 * 1024;

function fileIssue(path: string, rule: string, message: string, fix: string): InputError {
  return new InputError([wholeFileIssue({ file: path, rule, message, fix })]);
}

function unreadable(path: string, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error';
  return fileIssue(path, 'unreadable', `cannot read the objective file (${code})`, 'check the file\'s permissions');
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * Reads and parses an objective markdown file. Throws {@link InputError} when the file is
 * missing (`objective-not-found`), is not text (`objective-not-text`) or is over 1 MiB
 * (`objective-too-large`) or unreadable (`unreadable`); and, with every such problem at once,
 * when running it would waste a paid run: it is empty, has no title or no goals, or still holds
 * the template's placeholders (see objectiveRules.ts).
 *
 * @example
 * const objective = await loadObjectiveFile('docs/objectives/dark-mode.md');
 * objective.featureName // 'dark-mode'
 */
export async function loadObjectiveFile(path: string): Promise<Objective> {
  const stats = await stat(path).catch((error: unknown) => {
    if (!isMissing(error)) throw unreadable(path, error);
    throw fileIssue(path, 'objective-not-found', 'objective file not found',
      'check the path passed to --objective (it is resolved from the current directory)');
  });
  if (stats.isDirectory()) {
    throw fileIssue(path, 'unreadable', 'is a directory, not an objective file',
      'pass the path of the objective markdown file inside it');
  }
  // Checked before reading so a huge file is never loaded into memory.
  if (stats.size > MAX_OBJECTIVE_BYTES) {
    throw fileIssue(path, 'objective-too-large', `objective file is ${stats.size} bytes, over the 1 MiB limit`,
      'point --objective at the objective markdown file; move long material into linked documents');
  }

  const bytes = await readFile(path).catch((error: unknown) => {
    throw unreadable(path, error);
  });
  // NUL never appears in UTF-8 text; it does in binaries and in UTF-16 files.
  if (bytes.includes(0)) {
    throw fileIssue(path, 'objective-not-text', 'objective file is not UTF-8 text (it contains NUL bytes)',
      'save the objective as a UTF-8 markdown file');
  }
  const decoded = decodeUtf8(path, bytes);
  if ('issue' in decoded) throw new InputError([decoded.issue]);
  const objective = parseObjective(decoded.text, path);
  const issues = objectiveIssues(decoded.text, objective, path);
  if (issues.length > 0) throw new InputError(sortIssues(issues));
  return objective;
}
