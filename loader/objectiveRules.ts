import type { InputIssue } from './inputIssue.js';
import { findTitleLine, type Objective } from './objective.js';
import { OBJECTIVE_PLACEHOLDERS } from './objectivePlaceholders.js';
import { findSection, markdownLines, normalizeMarkdown, splitSections, type MarkdownLine } from './objectiveSections.js';

// A line that was meant as the title but lacks the space that makes it a heading: `#Add CSV export`.
const UNSPACED_TITLE = /^#([^\s#].*)$/;
const EXAMPLE_TITLE = '`# Objective: Export reports as CSV`';

/**
 * Blanks HTML comments with spaces, keeping every line and column where it was: comments are the
 * template's guidance for the author (and name the placeholders), never part of the objective.
 */
function withoutComments(text: string): string {
  return normalizeMarkdown(text).replace(/<!--[\s\S]*?-->/g, (comment) => comment.replace(/[^\n]/g, ' '));
}

type Problem = Omit<InputIssue, 'file'>;

/**
 * The title: TeamBot's `# ` line (found as parseObjective finds it, so that what names the feature
 * is what is checked), or TeamBot's headless form, a `## Objective` section, named after the file.
 * A `#Title` line is a title that lost its space, even beside a `## Objective` section.
 */
function titleProblems(rawLines: readonly MarkdownLine[], lines: readonly MarkdownLine[], text: string): Problem[] {
  const titleLine = findTitleLine(rawLines);
  if (titleLine && titleLine.title !== '') return [];
  if (titleLine) {
    return [{
      line: titleLine.line, column: 1, rule: 'objective-title-missing', message: 'the title line is empty',
      fix: `write a few words naming the feature after the #, e.g. ${EXAMPLE_TITLE}`,
    }];
  }
  const unspaced = lines.findIndex((line) => !line.fenced && UNSPACED_TITLE.test(line.text));
  if (unspaced >= 0) {
    const suggestion = `# ${UNSPACED_TITLE.exec(lines[unspaced]!.text)![1]!.trim()}`;
    return [{
      line: unspaced + 1, column: 1, rule: 'objective-title-missing',
      message: `no title line (a line starting with "# "); did you mean \`${suggestion}\`?`,
      fix: `put a space after the # on line ${unspaced + 1}: \`${suggestion}\``,
    }];
  }
  if (findSection(splitSections(text), 'objective')) return [];
  return [{
    line: 0, column: 0, rule: 'objective-title-missing', message: 'no title line (a line starting with "# ")',
    fix: `start the file with a title such as ${EXAMPLE_TITLE}; teambot names the feature directory after it`,
  }];
}

/** Goals are what every stage's agent is asked to achieve; the rest of the file never reaches it. */
function goalProblems(objective: Objective, text: string): Problem[] {
  if (objective.goals.length > 0) return [];
  const section = findSection(splitSections(text), 'goals', 'goal');
  if (section) {
    return [{
      line: section.line, column: 1, rule: 'objective-goals-missing', message: `the "## ${section.heading}" section lists no goals`,
      fix: 'list each goal under it as a "- " item: one outcome the feature should achieve',
    }];
  }
  return [{
    line: 0, column: 0, rule: 'objective-goals-missing', message: 'the objective has no goals (no "## Goals" section, no "**Goals**:" block)',
    fix: 'add a "## Goals" section with one "- " item per outcome; agents are given the title, goals, success criteria, constraints and context, not the rest of the file',
  }];
}

/** Every placeholder of init's template left in the text, comments aside (they mention them on purpose). */
function placeholderProblems(lines: readonly MarkdownLine[]): Problem[] {
  return lines.flatMap((line, index) => OBJECTIVE_PLACEHOLDERS.flatMap((placeholder): Problem[] => {
    const column = line.text.indexOf(placeholder.text);
    if (column < 0) return [];
    return [{
      line: index + 1, column: column + 1, rule: 'objective-placeholder',
      message: `"${placeholder.text}" is a placeholder of the objective template, still unedited`,
      fix: `replace ${placeholder.text} with ${placeholder.replaceWith}`,
    }];
  }));
}

/**
 * Why an objective would waste a paid run, every reason at once: it is empty
 * (`objective-empty`, alone), has no title (`objective-title-missing`), no goals
 * (`objective-goals-missing`) or still holds `teambot init`'s placeholders (`objective-placeholder`).
 * Only the author can fix these, so they are refused before anything starts.
 *
 * @example
 * objectiveIssues('#Dark mode\n', parseObjective('#Dark mode\n', 'o.md'), 'o.md')
 * // [{ line: 0, rule: 'objective-goals-missing', … },
 * //  { line: 1, rule: 'objective-title-missing', message: 'no title line …; did you mean `# Dark mode`?', … }]
 */
export function objectiveIssues(text: string, objective: Objective, file: string): InputIssue[] {
  const visible = withoutComments(text);
  if (visible.trim() === '') {
    return [{
      file, line: 0, column: 0, rule: 'objective-empty', message: 'the objective file is empty',
      fix: `describe the feature: a title such as ${EXAMPLE_TITLE} and a "## Goals" list (\`teambot init\` writes a template, objectives/example.md)`,
    }];
  }
  const lines = markdownLines(visible);
  return [
    ...titleProblems(markdownLines(text), lines, visible),
    ...goalProblems(objective, visible),
    ...placeholderProblems(lines),
  ].map((problem) => ({ file, ...problem }));
}
