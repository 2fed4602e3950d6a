/** One line of a markdown document, with whether it belongs to a fenced code block. */
export interface MarkdownLine {
  readonly text: string;
  /** True for the fence lines themselves and everything between them. */
  readonly fenced: boolean;
}

/** A `## ` section: its heading and the lines under it, up to the next `## ` heading. */
export interface MarkdownSection {
  /** The heading text as written, without `## ` and surrounding spaces. */
  readonly heading: string;
  /** 1-based line number of the heading. */
  readonly line: number;
  readonly body: readonly MarkdownLine[];
}

/**
 * Normalizes line endings to LF and drops a leading BOM, so files saved on Windows parse the
 * same as files saved anywhere else.
 *
 * @example normalizeMarkdown('\uFEFF# A\r\nB\rC') // '# A\nB\nC'
 */
export function normalizeMarkdown(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

// CommonMark: an opening fence may be indented up to 3 spaces (4 would make it an indented
// code block). A backtick fence's info string may not contain a backtick, otherwise a line
// like ```inline``` would open a block that swallows the rest of the file.
const OPENING_FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/** The fence a line opens, or undefined when it opens none. */
function openingFence(line: string): string | undefined {
  const match = OPENING_FENCE.exec(line);
  if (!match) return undefined;
  const fence = match[1]!;
  if (fence.startsWith('`') && match[2]!.includes('`')) return undefined;
  return fence;
}

/** A closing fence uses the opening character, is at least as long, and carries no info string. */
function closesFence(line: string, fence: string): boolean {
  const match = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  return match !== null && match[1]![0] === fence[0] && match[1]!.length >= fence.length;
}

/**
 * Splits normalized text into lines and marks those inside fenced code blocks; an unclosed
 * fence runs to the end of the document, as in CommonMark.
 *
 * @example markdownLines('a\n```\n## b\n```') // fenced: [false, true, true, true]
 */
export function markdownLines(text: string): MarkdownLine[] {
  const lines: MarkdownLine[] = [];
  let fence: string | undefined;
  for (const raw of normalizeMarkdown(text).split('\n')) {
    if (fence !== undefined) {
      lines.push({ text: raw, fenced: true });
      if (closesFence(raw, fence)) fence = undefined;
      continue;
    }
    fence = openingFence(raw);
    lines.push({ text: raw, fenced: fence !== undefined });
  }
  return lines;
}

/** Heading text of a `## ` line (optional closing `#`s removed), or undefined for other lines. */
function sectionHeading(line: string): string | undefined {
  const match = /^ {0,3}##(?:[ \t]+(.*))?$/.exec(line);
  if (!match) return undefined;
  return (match[1] ?? '').replace(/[ \t]+#+[ \t]*$/, '').trim();
}

/**
 * Splits markdown into its `## ` sections. `###` and deeper headings stay inside their section,
 * `## ` lines inside fenced code are not headings, and text before the first heading belongs
 * to no section.
 *
 * @example
 * splitSections('# T\n## Goals\n- a\n### Detail\n## Context\nx')
 * // [{ heading: 'Goals', line: 2, body: [- a, ### Detail] }, { heading: 'Context', line: 5, … }]
 */
export function splitSections(text: string): MarkdownSection[] {
  const sections: { heading: string; line: number; body: MarkdownLine[] }[] = [];
  markdownLines(text).forEach((line, index) => {
    const heading = line.fenced ? undefined : sectionHeading(line.text);
    if (heading !== undefined) sections.push({ heading, line: index + 1, body: [] });
    else sections.at(-1)?.body.push(line);
  });
  return sections;
}

/**
 * The form headings are compared in: case-insensitive, trailing spaces and colons ignored.
 *
 * @example headingKey('Success Criteria: ') // 'success criteria'
 */
export function headingKey(heading: string): string {
  return heading.replace(/[\s:]+$/, '').trim().toLowerCase();
}

/**
 * The first section whose heading is one of `names` (compared with {@link headingKey}).
 *
 * @example findSection(splitSections('## Key Constraints:\n- x'), 'constraints', 'key constraints')
 */
export function findSection(
  sections: readonly MarkdownSection[],
  ...names: readonly string[]
): MarkdownSection | undefined {
  const wanted = new Set(names.map(headingKey));
  return sections.find((section) => wanted.has(headingKey(section.heading)));
}
