import { deriveFeatureName, teamBotFeatureName } from './featureName.js';
import {
  findSection,
  markdownLines,
  splitSections,
  type MarkdownLine,
  type MarkdownSection,
} from './objectiveSections.js';

/** What an objective file asks for, in the shape TeamBot reads it. */
export interface Objective {
  readonly title: string;
  readonly goals: string[];
  readonly successCriteria: { text: string; done: boolean }[];
  readonly constraints: string[];
  /** Text of the `## Context` / `## Technical Context` section; null when there is none. */
  readonly context: string | null;
  /** The `.teambot/<feature>/` directory name, identical to TeamBot's but for transliterated letters (featureName.ts). */
  readonly featureName: string;
  /**
   * The name TeamBot gives it, when that differs (`caf-menu` for `Café menu`): a run TeamBot
   * started is found under it (featureDirectoryFor.ts).
   */
  readonly teamBotFeatureName?: string | undefined;
}

const LIST_ITEM = /^\s*(?:[-*]|\d+\.)[ \t]+(\S.*)$/;
const CHECKBOX = /^\s*[-*][ \t]+\[([ xX])\][ \t]+(\S.*)$/;
const THEMATIC_BREAK = /^\s*([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
// Stops an inline block at a heading; `**Goals**:` followed straight by `## Next` has no goals there.
const ATX_HEADING = /^ {0,3}#{1,6}(?:[ \t]|$)/;

/** `- x`, `* x`, `1. x` → `x`; undefined for any other line, `* * *` rules included. */
function listItem(line: string): string | undefined {
  if (THEMATIC_BREAK.test(line)) return undefined;
  return LIST_ITEM.exec(line)?.[1]?.trim();
}

function checkbox(line: string): { text: string; done: boolean } | undefined {
  const match = CHECKBOX.exec(line);
  return match ? { text: match[2]!.trim(), done: match[1] !== ' ' } : undefined;
}

/** List items of a section, ignoring anything inside its code blocks. */
function sectionItems<T>(section: MarkdownSection, pick: (line: string) => T | undefined): T[] {
  return section.body.flatMap((line) => {
    const item = line.fenced ? undefined : pick(line.text);
    return item === undefined ? [] : [item];
  });
}

/**
 * Where an inline `**Name**:` marker first appears outside code: its line index and the text
 * after the colon on that line.
 */
function findMarker(lines: readonly MarkdownLine[], marker: RegExp): { index: number; rest: string } | undefined {
  for (const [index, line] of lines.entries()) {
    const match = line.fenced ? null : marker.exec(line.text);
    if (match) return { index, rest: line.text.slice(match.index + match[0].length) };
  }
  return undefined;
}

/**
 * Inline goals, TeamBot style: the text after `**Goals**:` up to a blank line that follows
 * content, a `**…` line or the end; each list item or other line is one goal.
 */
function inlineGoals(lines: readonly MarkdownLine[]): string[] {
  const marker = findMarker(lines, /\*\*Goals?\*\*:/i);
  if (!marker) return [];
  const block = marker.rest.trim() === '' ? [] : [marker.rest];
  for (const line of lines.slice(marker.index + 1)) {
    const text = line.text.trim();
    if (text === '') {
      if (block.length === 0) continue;
      break;
    }
    if (line.fenced || text.startsWith('**') || ATX_HEADING.test(line.text)) break;
    block.push(line.text);
  }
  return block.map((line) => listItem(line) ?? line.trim());
}

/** Inline criteria: consecutive checkbox lines after `**Success Criteria**:` (blank lines before them skipped). */
function inlineCriteria(lines: readonly MarkdownLine[]): { text: string; done: boolean }[] {
  const marker = findMarker(lines, /\*\*Success Criteria\*\*:/i);
  if (!marker) return [];
  const first = checkbox(marker.rest);
  const criteria = first ? [first] : [];
  for (const line of lines.slice(marker.index + 1)) {
    if (line.text.trim() === '' && criteria.length === 0) continue;
    const item = line.fenced ? undefined : checkbox(line.text);
    if (!item) break;
    criteria.push(item);
  }
  return criteria;
}

/** A `# ` title line: the title without a leading `Objective:`, as TeamBot reads it. */
const TITLE_LINE = /^#\s+(?:Objective:\s*)?(.+)$/;

/**
 * The title line as TeamBot finds it: the first `# ` line anywhere. TeamBot does not skip fenced
 * code here, and matching it matters more than being right: the title names the feature
 * directory, so objective-notify-agent.md really is titled by a `# ` comment in its bash example.
 *
 * @example findTitleLine(markdownLines('intro\n# Objective: Dark mode')) // { line: 2, title: 'Dark mode' }
 */
export function findTitleLine(lines: readonly MarkdownLine[]): { line: number; title: string } | undefined {
  for (const [index, line] of lines.entries()) {
    const match = TITLE_LINE.exec(line.text);
    if (match) return { line: index + 1, title: match[1]!.trim() };
  }
  return undefined;
}

/** The title; without a `# ` line, TeamBot's generic ones, which make the feature name fall back to the file name. */
function findTitle(lines: readonly MarkdownLine[], sections: readonly MarkdownSection[]): string {
  const titleLine = findTitleLine(lines);
  if (titleLine) return titleLine.title;
  return findSection(sections, 'objective') ? 'Objective' : 'Untitled';
}

/** A section's prose; HTML comments are template guidance for the author, not context for agents. */
function sectionText(section: MarkdownSection | undefined): string | null {
  const text = section?.body.map((line) => line.text).join('\n').replace(/<!--[\s\S]*?-->/g, '').trim();
  return text ? text : null;
}

/**
 * Parses an objective file's markdown. Never fails: an objective with no title, goals or
 * criteria is still one TeamBot would run; whether it is worth running is decided by
 * `objectiveIssues` (objectiveRules.ts) when the file is loaded.
 *
 * @example
 * parseObjective('# Objective: Dark mode\n## Goals\n- Toggle in settings\n', 'objective-dark.md')
 * // { title: 'Dark mode', goals: ['Toggle in settings'], successCriteria: [], constraints: [],
 * //   context: null, featureName: 'dark-mode' }
 */
export function parseObjective(text: string, fileName: string): Objective {
  const lines = markdownLines(text);
  const sections = splitSections(text);
  const title = findTitle(lines, sections);

  const goalsSection = findSection(sections, 'goals', 'goal');
  const goals = goalsSection ? sectionItems(goalsSection, listItem) : inlineGoals(lines);

  const criteriaSection = findSection(sections, 'success criteria');
  const successCriteria = criteriaSection ? sectionItems(criteriaSection, checkbox) : inlineCriteria(lines);

  // Only sections: TeamBot ignores inline `**Key Constraints**:` blocks, and so must we for parity.
  const constraintsSection = findSection(sections, 'constraints', 'key constraints');
  const constraints = constraintsSection ? sectionItems(constraintsSection, listItem) : [];

  const context = sectionText(findSection(sections, 'context', 'technical context'));
  const featureName = deriveFeatureName(title, fileName, goals[0]);
  const teamBotName = teamBotFeatureName(title, fileName, goals[0]);
  return {
    title, goals, successCriteria, constraints, context, featureName,
    ...(teamBotName === featureName ? {} : { teamBotFeatureName: teamBotName }),
  };
}
