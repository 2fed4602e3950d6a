/**
 * Agent text quoted in a fence longer than any backtick run inside it, so its
 * own headings and code blocks cannot break the prompt's structure. Blank
 * lines around it go; the indentation of its first line stays (a diff stat's).
 *
 * @example fenced('see `x`') // '```\nsee `x`\n```'
 * @example fenced('3 passed', 'text') // '```text\n3 passed\n```'
 */
export function fenced(text: string, language = ''): string {
  const longest = Math.max(0, ...Array.from(text.matchAll(/`+/g), (match) => match[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${text.replace(/^(?:[ \t]*\r?\n)+/, '').trimEnd()}\n${fence}`;
}
