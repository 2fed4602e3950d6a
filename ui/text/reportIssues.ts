import { formatIssue, sortIssues, type InputIssue } from '../../loader/inputIssue.js';
import { withInvocation } from './invocation.js';
import { terminalLine } from './terminalText.js';

/**
 * At most this many issues are printed: past it a file is the wrong file or broken throughout, and
 * thousands of lines would bury the first problems, which are the ones to fix first.
 */
export const MAX_PRINTED_ISSUES = 50;

/**
 * The text printed for invalid input: the issues (the first {@link MAX_PRINTED_ISSUES}, then how
 * many more), then the count of all of them; commands in fixes as the user runs teambot.
 */
export function renderIssues(issues: readonly InputIssue[], invocation = 'teambot'): string {
  const sorted = sortIssues(issues);
  const lines = sorted.slice(0, MAX_PRINTED_ISSUES).map((issue) => withInvocation(formatIssue(safeIssue(issue)), invocation));
  const hidden = sorted.length - MAX_PRINTED_ISSUES;
  if (hidden > 0) lines.push(`… and ${hidden} more ${hidden === 1 ? 'problem' : 'problems'}`);
  const count = sorted.length === 1 ? '1 problem' : `${sorted.length} problems`;
  return `${lines.join('\n')}\n\n✗ ${count} found; nothing was changed.\n`;
}

/** Issues worth knowing that do not stop anything, each marked as a warning. */
export function renderWarnings(issues: readonly InputIssue[], invocation = 'teambot'): string {
  return `${sortIssues(issues).map((issue) => `warning: ${withInvocation(formatIssue(safeIssue(issue)), invocation)}`).join('\n')}\n`;
}

/**
 * An issue whose texts are safe to print: messages and fixes quote what the user's files hold
 * (unknown field names, values, paths), which may hold escape sequences or line breaks; each
 * field stays on its line, so an issue keeps its shape.
 */
function safeIssue(issue: InputIssue): InputIssue {
  return {
    ...issue,
    file: terminalLine(issue.file),
    ...(issue.subject !== undefined ? { subject: terminalLine(issue.subject) } : {}),
    rule: terminalLine(issue.rule),
    message: terminalLine(issue.message),
    fix: terminalLine(issue.fix),
  };
}
