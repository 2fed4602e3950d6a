import { formatIssue, sortIssues, type InputIssue } from '../../loader/inputIssue.js';
import { withInvocation } from './invocation.js';
import { terminalLine } from './terminalText.js';
import { PLAIN_STYLE, tonesFor, wordsOf, wrapLine, wrapWords, type TextStyle } from './terminalStyle.js';

/**
 * At most this many issues are printed: past it a file is the wrong file or broken throughout, and
 * thousands of lines would bury the first problems, which are the ones to fix first.
 */
export const MAX_PRINTED_ISSUES = 50;

/** A wrapped issue line's further lines: deeper than `  fix:`, so none reads as a new issue or fix. */
const HEADING_INDENT = '    ';
const FIX_LABEL = '  fix:';
/** A wrapped fix's further lines start under its text. */
const FIX_INDENT = ' '.repeat(FIX_LABEL.length + 1);

/**
 * The text printed for invalid input: the issues (the first {@link MAX_PRINTED_ISSUES}, then how
 * many more), then the count of all of them; commands in fixes as the user runs teambot. On a
 * terminal (see styleFor) each issue is wrapped to its width and coloured: where in bold, the
 * rule dim, `fix:` green, the count red. Colour goes around text already made safe.
 */
export function renderIssues(issues: readonly InputIssue[], invocation = 'teambot', style: TextStyle = PLAIN_STYLE): string {
  const tones = tonesFor(style);
  const sorted = sortIssues(issues);
  const lines = sorted.slice(0, MAX_PRINTED_ISSUES).flatMap((issue) => issueLines(issue, invocation, style));
  const hidden = sorted.length - MAX_PRINTED_ISSUES;
  if (hidden > 0) lines.push(tones.dim(`… and ${hidden} more ${hidden === 1 ? 'problem' : 'problems'}`));
  const count = sorted.length === 1 ? '1 problem' : `${sorted.length} problems`;
  return `${lines.join('\n')}\n\n${tones.red(`✗ ${count} found`)}; nothing was changed.\n`;
}

/** Issues worth knowing that do not stop anything, each marked as a warning (yellow on a terminal). */
export function renderWarnings(issues: readonly InputIssue[], invocation = 'teambot', style: TextStyle = PLAIN_STYLE): string {
  return `${sortIssues(issues).flatMap((issue) => issueLines(issue, invocation, style, 'warning:')).join('\n')}\n`;
}

/**
 * One issue as formatIssue writes it (`where: subject: message [rule]`, then `  fix: …`),
 * styled, each of its two lines wrapped when the style has a width. `where` stays one word
 * even when it holds a space (`command line`), as does a command in backquotes.
 */
function issueLines(issue: InputIssue, invocation: string, style: TextStyle, label?: string): string[] {
  const tones = tonesFor(style);
  const safe = safeIssue(issue);
  const where = safe.line > 0 ? `${safe.file}:${safe.line}:${safe.column}` : safe.file;
  const [heading = '', fix = ''] = withInvocation(formatIssue(safe), invocation).split('\n');
  const rule = `[${safe.rule}]`;
  const said = heading.slice(where.length + 1, heading.length - rule.length);
  const fixText = fix.slice(FIX_LABEL.length + 1);
  const start = `${label ? `${tones.yellow(label)} ` : ''}${tones.bold(`${where}:`)}`;
  if (style.width === undefined) {
    return [`${start}${said}${tones.dim(rule)}`, `  ${tones.green(FIX_LABEL.trim())} ${fixText}`];
  }
  return [
    ...wrapWords([start, ...wordsOf(said), tones.dim(rule)], { width: style.width, indent: HEADING_INDENT }),
    ...wrapWords([tones.green(FIX_LABEL.trim()), ...wordsOf(fixText)], { width: style.width, first: '  ', indent: FIX_INDENT }),
  ];
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

/**
 * An error teambot or commander prints (`error: unknown option '--bogus'`), styled: `error:`
 * red, each line wrapped to the style's width with its continuation indented. The text must
 * already be safe (terminalText): colour is added around it.
 *
 * @example renderError('error: too many arguments for run\n', { color: false, width: 20 }) // 'error: too many\n  arguments for run\n'
 */
export function renderError(text: string, style: TextStyle = PLAIN_STYLE): string {
  const tones = tonesFor(style);
  return text.split('\n').map((line) => wrapLine(line, style, '  ').join('\n')
    .replace(/^(error:|teambot: unexpected error:)/, (label) => tones.red(label))).join('\n');
}
