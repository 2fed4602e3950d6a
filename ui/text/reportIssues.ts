import { formatIssue, sortIssues, type InputIssue } from '../../loader/inputIssue.js';

/** The text printed for invalid input: every issue, then a count. */
export function renderIssues(issues: readonly InputIssue[]): string {
  const sorted = sortIssues(issues);
  const lines = sorted.map(formatIssue);
  const count = sorted.length === 1 ? '1 problem' : `${sorted.length} problems`;
  return `${lines.join('\n')}\n\n✗ ${count} found; nothing was changed.\n`;
}

/** Issues worth knowing that do not stop anything, each marked as a warning. */
export function renderWarnings(issues: readonly InputIssue[]): string {
  return `${sortIssues(issues).map((issue) => `warning: ${formatIssue(issue)}`).join('\n')}\n`;
}
