import { describeFileError, fileErrorCode } from '../../loader/fileProblems.js';
import { InputError } from '../../loader/inputIssue.js';
import { shownPath } from '../../loader/shownPath.js';

/** What the user can do about each way a disk refuses a write. */
const REMEDIES: Readonly<Record<string, string>> = {
  ENOSPC: 'free space',
  EDQUOT: 'free space within your disk quota',
  EACCES: 'make the directory writable',
  EPERM: 'make the directory writable',
  EROFS: 'make the file system writable (or point TEAMBOT_DIR at a writable directory)',
};

/**
 * The one line that says why a run stopped when one of its files could not be
 * written: the file, the cause, that the last saved state is intact (every
 * write is write-then-rename, and nothing more was written after the failure),
 * and how to go on.
 *
 * @example
 * writeFailureMessage(enospc, { path: '/repo/.teambot/x/orchestration_state.json', cwd: '/repo', feature: 'x' })
 * // 'cannot write .teambot/x/orchestration_state.json: the disk is full (ENOSPC); the run stopped, its last saved state is intact; free space, then `teambot resume x`'
 */
export function writeFailureMessage(error: unknown, where: { path: string; cwd: string; feature: string }): string {
  const resume = `\`teambot resume ${where.feature}\``;
  const stopped = 'the run stopped, its last saved state is intact';
  if (error instanceof InputError && error.issues[0]) {
    // Refused by teambot itself (a symbolic link in the run directory): the issue names the path and the fix.
    const issue = error.issues[0];
    return `cannot write ${issue.file}: ${issue.message} [${issue.rule}]; ${stopped}; ${issue.fix}, then ${resume}`;
  }
  const code = fileErrorCode(error);
  const cause = code ? describeFileError(code) : error instanceof Error ? error.message : String(error);
  const remedy = (code && REMEDIES[code]) ?? 'fix the cause';
  return `cannot write ${shownPath(where.cwd, where.path)}: ${cause}; ${stopped}; ${remedy}, then ${resume}`;
}
