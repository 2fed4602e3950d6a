import { describe, expect, it } from 'vitest';
import { wholeFileIssue } from '../../../loader/inputIssue.js';
import { renderError, renderIssues, renderWarnings } from '../../../ui/text/reportIssues.js';

const issue = wholeFileIssue({
  file: 'command line', rule: 'time-limit-reached',
  message: 'this run has used its whole time limit (8 h); resumed as it is, it would stop at once',
  fix: 'give it a new total limit: `teambot resume csv-export --max-hours 16`',
});

describe('renderIssues and renderWarnings on a terminal', () => {
  it('without a style: as before, one line per issue and its fix, no escape codes', () => {
    expect(renderIssues([issue])).toBe(`command line: ${issue.message} [time-limit-reached]\n  fix: ${issue.fix}\n\n✗ 1 problem found; nothing was changed.\n`);
    expect(renderWarnings([issue])).toBe(`warning: command line: ${issue.message} [time-limit-reached]\n  fix: ${issue.fix}\n`);
  });

  it('wrapped: continuations indented, `where` and a command in backquotes never broken, commands as the user runs teambot', () => {
    const lines = renderIssues([issue], 'npx teambot', { color: false, width: 40 }).split('\n');
    expect(lines[0]).toMatch(/^command line: /);
    const fixAt = lines.findIndex((line) => line.startsWith('  fix: '));
    expect(lines.slice(1, fixAt).every((line) => /^ {4}\S/.test(line))).toBe(true);
    expect(lines).toContain('       `npx teambot resume csv-export --max-hours 16`');
    expect(lines.filter((line) => !line.includes('`')).every((line) => line.length <= 40)).toBe(true);
  });

  it('coloured: where bold, rule dim, fix: green, the count red, the warning label yellow', () => {
    const text = renderIssues([issue], 'teambot', { color: true, width: 200 });
    expect(text).toContain('\u001b[1mcommand line:\u001b[22m');
    expect(text).toContain('\u001b[2m[time-limit-reached]\u001b[22m');
    expect(text).toContain('  \u001b[32mfix:\u001b[39m give');
    expect(text).toContain('\u001b[31m✗ 1 problem found\u001b[39m; nothing was changed.');
    expect(renderWarnings([issue], 'teambot', { color: true })).toMatch(/^\u001b\[33mwarning:\u001b\[39m \u001b\[1mcommand line:/);
  });

  it('user text stays safe: escape sequences in an issue are shown, and colour only goes around them', () => {
    const hostile = { ...issue, message: 'bad value "\u001b]0;pwned\u0007"' };
    const text = renderIssues([hostile], 'teambot', { color: true, width: 80 });
    expect(text).toContain('\\x1b]0;pwned\\x07');
    expect(text).not.toContain('\u0007');
  });
});

describe('renderError', () => {
  it('error: in red and wrapped with the continuation indented; plain without a style', () => {
    expect(renderError('error: too many arguments for \'run\'. Expected 1 argument but got 2.\n', { color: true, width: 30 }))
      .toBe('\u001b[31merror:\u001b[39m too many arguments for\n  \'run\'. Expected 1 argument\n  but got 2.\n');
    expect(renderError('error: unknown option \'--bogus\'\n')).toBe('error: unknown option \'--bogus\'\n');
  });
});
