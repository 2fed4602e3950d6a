import { markdownLines, type MarkdownLine } from './objectiveSections.js';

/** One numbered scenario of a feature spec's "Acceptance Test Scenarios" section. */
export interface AcceptanceScenario {
  /** Always `AT-` and the digits as written, e.g. `AT-001`. */
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly preconditions: string;
  readonly steps: readonly string[];
  readonly expected: string;
}

type Field = 'description' | 'preconditions' | 'steps' | 'expected';

/** The heading that opens the section, matched anywhere in a `##` or `###` heading. */
const SECTION_TITLE = /acceptance test scenarios/i;
const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
/** An id, optional closing emphasis or backtick, an optional separator, then the title. */
const SCENARIO_ID = /(?<![A-Za-z0-9])AT-(\d{3,})(?![0-9])[*_`]*[ \t]*(?:[:—–.-][ \t]*)?(.*)$/;
/** A line opening with bold text (after an optional list marker): `**AT-001: Title**`, `- **AT-001** — Title`. */
const BOLD_LINE = /^[ \t]*(?:[-*+][ \t]+)?\*\*([^*]+)\*\*(.*)$/;
const LIST_ITEM = /^[ \t]*(?:\d+[.)]|[-*+])[ \t]+(.*)$/;

/** Field labels as agents write them: `**Steps**:`, `**Steps:**`, `- Steps:`, `#### Steps`. */
const FIELD_LABELS: readonly [RegExp, Field][] = [
  [/^description$/i, 'description'],
  [/^pre-?conditions?$/i, 'preconditions'],
  [/^(?:test )?steps$/i, 'steps'],
  [/^expected(?: results?| outcomes?| output| behaviou?r)?$/i, 'expected'],
];
const LABEL_LINE = /^[ \t]*(?:[-*+][ \t]+)?(?:\*\*|__)?([A-Za-z][A-Za-z -]*?)[ \t]*(?:(?:\*\*|__)[ \t]*:|:[ \t]*(?:\*\*|__)|:)[ \t]*(.*)$/;

interface Draft {
  readonly id: string;
  readonly title: string;
  /** Heading level of the scenario's heading; 7 for a bold line, so any other heading ends it. */
  readonly level: number;
  readonly untitled: string[];
  readonly fields: Partial<Record<Field, string[]>>;
  current: Field | undefined;
}

/**
 * The scenarios of a feature spec: those in the first `##`/`###` section whose heading contains
 * "Acceptance Test Scenarios". Each starts at a deeper heading or a bold line holding an id
 * (`AT-001: Title`); missing fields are empty, ids inside code fences are ignored, and of two
 * scenarios with the same id the first is kept.
 *
 * @example
 * parseAcceptanceScenarios('## Acceptance Test Scenarios\n### AT-001: Login\n**Steps**:\n1. Open /login\n**Expected**: the form shows')
 * // [{ id: 'AT-001', title: 'Login', description: '', preconditions: '', steps: ['Open /login'], expected: 'the form shows' }]
 */
export function parseAcceptanceScenarios(markdown: string): AcceptanceScenario[] {
  const drafts: Draft[] = [];
  let draft: Draft | undefined;
  const close = () => {
    if (draft && !drafts.some((kept) => kept.id === draft!.id)) drafts.push(draft);
    draft = undefined;
  };

  const { level, lines } = scenarioSection(markdownLines(markdown));
  for (const line of lines) {
    if (line.fenced) {
      if (draft) fieldLines(draft).push(line.text);
      continue;
    }
    const heading = HEADING.exec(line.text);
    const headingLevel = heading ? heading[1]!.length : 7;
    const opening = scenarioOpening(line.text, heading?.[2], headingLevel, level);
    if (opening) {
      close();
      draft = { ...opening, untitled: [], fields: {}, current: undefined };
      continue;
    }
    if (!draft) continue;
    const label = fieldLabel(line.text, heading?.[2]);
    if (label) {
      draft.current = label.field;
      draft.fields[label.field] ??= [];
      if (label.rest) draft.fields[label.field]!.push(label.rest);
    } else if (heading && headingLevel <= draft.level) {
      close();
    } else {
      fieldLines(draft).push(line.text);
    }
  }
  close();
  return drafts.map(toScenario);
}

/** The lines of the scenarios section and its heading level; no section gives no lines. */
function scenarioSection(lines: readonly MarkdownLine[]): { level: number; lines: readonly MarkdownLine[] } {
  const start = lines.findIndex((line) => {
    const heading = line.fenced ? null : HEADING.exec(line.text);
    return heading !== null && heading[1]!.length >= 2 && heading[1]!.length <= 3 && SECTION_TITLE.test(heading[2]!);
  });
  if (start < 0) return { level: 0, lines: [] };
  const level = HEADING.exec(lines[start]!.text)![1]!.length;
  const end = lines.findIndex((line, index) => {
    if (index <= start || line.fenced) return false;
    const heading = HEADING.exec(line.text);
    return heading !== null && heading[1]!.length <= level;
  });
  return { level, lines: lines.slice(start + 1, end < 0 ? undefined : end) };
}

/** The id and title when the line opens a scenario: a deeper heading or a bold line with an id. */
function scenarioOpening(
  text: string, headingText: string | undefined, headingLevel: number, sectionLevel: number,
): { id: string; title: string; level: number } | undefined {
  let candidate: string | undefined;
  if (headingText !== undefined) {
    if (headingLevel <= sectionLevel) return undefined;
    candidate = headingText;
  } else {
    const bold = BOLD_LINE.exec(text);
    // The id must sit in the opening bold span, so `**Description**: see AT-002` stays a field.
    if (!bold || !SCENARIO_ID.test(bold[1]!)) return undefined;
    candidate = `${bold[1]}**${bold[2]}`;
  }
  const match = SCENARIO_ID.exec(candidate);
  if (!match) return undefined;
  return { id: `AT-${match[1]}`, title: cleanTitle(match[2]!), level: headingLevel };
}

/** Removes leftover emphasis and separators around a title. */
function cleanTitle(text: string): string {
  return text.replace(/\*\*|__/g, '').replace(/^[ \t:—–-]+/, '').trim();
}

/** The field a label line opens, with any value written on the same line. */
function fieldLabel(text: string, headingText: string | undefined): { field: Field; rest: string } | undefined {
  const [name, rest] = headingText !== undefined
    ? [headingText.replace(/[*_:]/g, '').trim(), '']
    : (() => {
      const match = LABEL_LINE.exec(text);
      return match ? [match[1]!, match[2]!.replace(/^(?:\*\*|__)[ \t]*/, '')] : ['', ''];
    })();
  const field = FIELD_LABELS.find(([pattern]) => pattern.test(name.trim()))?.[1];
  return field ? { field, rest: rest.trim() } : undefined;
}

/** Where a plain line of the scenario goes: the open field, or the untitled text after the heading. */
function fieldLines(draft: Draft): string[] {
  return draft.current ? draft.fields[draft.current]! : draft.untitled;
}

function toScenario(draft: Draft): AcceptanceScenario {
  const description = draft.fields.description ?? draft.untitled;
  return {
    id: draft.id,
    title: draft.title,
    description: joinText(description),
    preconditions: joinText(draft.fields.preconditions ?? []),
    steps: listItems(draft.fields.steps ?? []),
    expected: joinText(draft.fields.expected ?? []),
  };
}

/** Field text with surrounding blank lines dropped and each line trimmed. */
function joinText(lines: readonly string[]): string {
  return lines.map((line) => line.trimEnd()).join('\n').trim()
    .split('\n').map((line) => line.trim()).join('\n');
}

/** The items of a numbered or bulleted list; other lines continue the item before them. */
function listItems(lines: readonly string[]): string[] {
  const items: string[] = [];
  for (const line of lines) {
    if (!line.trim()) continue;
    const item = LIST_ITEM.exec(line);
    if (item) items.push(item[1]!.trim());
    else if (items.length > 0) items[items.length - 1] += ` ${line.trim()}`;
    else items.push(line.trim());
  }
  return items;
}
