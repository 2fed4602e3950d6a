/**
 * The one shape every loader uses to report a problem in a user's input, so the
 * CLI can print them all the same way: where, what, which rule, how to fix it.
 *
 * @example
 * { file: 'stages.yaml', line: 12, column: 5, subject: 'stage SPEC',
 *   rule: 'unknown-field', message: 'unknown field "work_agnet"',
 *   fix: 'did you mean "work_agent"?' }
 */
export interface InputIssue {
  readonly file: string;
  /** 1-based; 0 when the problem concerns the file as a whole. */
  readonly line: number;
  /** 1-based; 0 when the problem concerns the file as a whole. */
  readonly column: number;
  /** What the problem is about: `stage SPEC`, `group post_spec_review`, `agent pm`. */
  readonly subject?: string;
  /** A short, stable rule id (`unknown-field`, `group-review-stage`…), documented in the README. */
  readonly rule: string;
  readonly message: string;
  /** One sentence telling the user what to change. */
  readonly fix: string;
}

/** Thrown by loaders when the input cannot be used; carries every issue found, not just the first. */
export class InputError extends Error {
  readonly issues: readonly InputIssue[];

  constructor(issues: readonly InputIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'InputError';
    this.issues = issues;
  }
}

/** `stages.yaml:12:5: stage SPEC: unknown field "work_agnet" [unknown-field]` plus an indented fix line. */
export function formatIssue(issue: InputIssue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.column}` : issue.file;
  const subject = issue.subject ? `${issue.subject}: ` : '';
  return `${where}: ${subject}${issue.message} [${issue.rule}]\n  fix: ${issue.fix}`;
}

/**
 * Orders issues by file, then position, so a long list reads top to bottom like the file. Files
 * compare by code point, the same everywhere (a locale's collation would also cost its set-up,
 * milliseconds, at the first comparison of every command that warns).
 */
export function sortIssues(issues: readonly InputIssue[]): InputIssue[] {
  return [...issues].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
}

/**
 * An issue about a file as a whole, or the command line, with no position in it.
 *
 * @example wholeFileIssue({ file: 'command line', rule: 'unknown-runner', message: '--runner x is not a runner', fix: 'use one of copilot, command, simulated' })
 */
export function wholeFileIssue(issue: Omit<InputIssue, 'line' | 'column'>): InputIssue {
  return { ...issue, line: 0, column: 0 };
}
