import { formatIssue, sortIssues, type InputIssue } from '../../loader/inputIssue.js';
import { withInvocation } from './invocation.js';

/** The text printed for invalid input: every issue, then a count; commands in fixes as the user runs teambot. */
export function renderIssues(issues: readonly InputIssue[], invocation = 'teambot'): string {
  const sorted = sortIssues(issues);
  const lines = sorted.map((issue) => withInvocation(formatIssue(issue), invocation));
  const count = sorted.length === 1 ? '1 problem' : `${sorted.length} problems`;
  return `${lines.join('\n')}\n\n✗ ${count} found; nothing was changed.\n`;
}

/** Issues worth knowing that do not stop anything, each marked as a warning. */
export function renderWarnings(issues: readonly InputIssue[], invocation = 'teambot'): string {
  return `${sortIssues(issues).map((issue) => `warning: ${withInvocation(formatIssue(issue), invocation)}`).join('\n')}\n`;
}
