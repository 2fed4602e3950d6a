import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../machines/session/runEvents.js';
import { formatEventLine } from '../../../ui/text/plainReporter.js';
import { renderIssues, renderWarnings } from '../../../ui/text/reportIssues.js';
import { renderRunSummary } from '../../../ui/text/runSummary.js';
import { terminalJson, terminalLine, terminalText } from '../../../ui/text/terminalText.js';
import type { RunView } from '../../../ui/run-view/runViewModel.js';

const ESC = '\u001b';

describe('terminalText', () => {
  it.each([
    ['CSI (clear screen)', `${ESC}[2J`, String.raw`\x1b[2J`],
    ['CSI with intermediates (cursor shape)', `${ESC}[2 q`, String.raw`\x1b[2 q`],
    ['OSC 0 ended by BEL (window title)', `${ESC}]0;pwned${'\u0007'}`, String.raw`\x1b]0;pwned\x07`],
    ['OSC 52 ended by ST (clipboard)', `${ESC}]52;c;cm0gLXJm${ESC}\\`, String.raw`\x1b]52;c;cm0gLXJm\x1b` + '\\'],
    ['OSC 8 hyperlink', `${ESC}]8;;http://evil${ESC}\\click${ESC}]8;;${ESC}\\`, String.raw`\x1b]8;;http://evil\x1b\click\x1b]8;;\x1b` + '\\'],
    ['DCS', `${ESC}P1$r${ESC}\\`, String.raw`\x1bP1$r\x1b` + '\\'],
    ['SOS', `${ESC}Xhidden${ESC}\\`, String.raw`\x1bXhidden\x1b` + '\\'],
    ['PM', `${ESC}^hidden${ESC}\\`, String.raw`\x1b^hidden\x1b` + '\\'],
    ['APC', `${ESC}_hidden${ESC}\\`, String.raw`\x1b_hidden\x1b` + '\\'],
    ['two-byte ESC (reset terminal, save cursor)', `${ESC}c${ESC}7`, String.raw`\x1bc\x1b7`],
    ['C1 CSI', '\u009b2J', String.raw`\x9b2J`],
    ['C1 OSC ended by C1 ST', '\u009d0;t\u009c', String.raw`\x9d0;t\x9c`],
    ['BEL, backspace, form feed, vertical tab', 'a\u0007b\u0008c\u000cd\u000be', String.raw`a\x07b\x08c\x0cd\x0be`],
    ['NUL and DEL', 'a\u0000b\u007f', String.raw`a\x00b\x7f`],
    ['a lone CR, which would let the rest overwrite the line', 'safe\rrm -rf', String.raw`safe\x0drm -rf`],
    ['bidi overrides and embeddings', '\u202aa\u202bb\u202cc\u202dd\u202ee', String.raw`\u202aa\u202bb\u202cc\u202dd\u202ee`],
    ['bidi isolates', '\u2066a\u2067b\u2068c\u2069', String.raw`\u2066a\u2067b\u2068c\u2069`],
  ])('shows %s as text', (_name, raw, shown) => {
    expect(terminalText(raw)).toBe(shown);
  });

  it('drops colours (SGR), which only style text', () => {
    expect(terminalText(`${ESC}[31merror${ESC}[0m: ${ESC}[1;38;5;208mhot${ESC}[m`)).toBe('error: hot');
  });

  it('leaves no way to rebuild a sequence once colours are dropped', () => {
    expect(terminalText(`${ESC}${ESC}[31m[2J`)).toBe(String.raw`\x1b[2J`);
  });

  it('keeps line feeds, tabs and every printable character: accents, CJK, emoji, right-to-left script, combining marks', () => {
    const text = 'Café naïve\tcolumn\n日本語のテキスト 🎉👩‍💻 مرحبا שלום e\u0301 ✓ ✗ ‖ │';
    expect(terminalText(text)).toBe(text);
  });

  it('turns Windows line ends into line feeds', () => {
    expect(terminalText('one\r\ntwo\r\n')).toBe('one\ntwo\n');
  });

  it('is unchanged by a second pass, so text made safe twice reads the same', () => {
    const once = terminalText(`${ESC}]0;t\u0007\u009b\u202e`);
    expect(terminalText(once)).toBe(once);
  });
});

describe('terminalLine', () => {
  it('also shows line breaks, so the text stays on its line', () => {
    expect(terminalLine(`boom\r\nat x\n${ESC}[2J`)).toBe(String.raw`boom\nat x\n\x1b[2J`);
  });
});

describe('terminalJson', () => {
  it('escapes DEL, C1 and bidi controls, which JSON.stringify leaves raw, and parses back to the same value', () => {
    const value = { error: `a${ESC}[2J\u0007\u007f\u009b\u202e b 日本 🎉` };
    const json = terminalJson(value, 2);
    expect(json).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(json).toContain(String.raw`\u001b[2J\u0007\u007f\u009b\u202e b 日本 🎉`);
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('what an agent or a file wrote, where teambot prints it', () => {
  it('an event line shows it visibly; further lines of an error are indented so none passes for an event', () => {
    const event = {
      ts: '2026-01-01T00:00:00.000Z', type: 'stage.failed', stage: 'SPEC',
      error: `copilot exited with code 1: ${ESC}]0;t\u0007\n2026-01-01T00:00:01.000Z run.completed        complete`,
    } as RunEvent;
    expect(formatEventLine(event).split('\n')).toEqual([
      String.raw`2026-01-01T00:00:00.000Z stage.failed         SPEC  copilot exited with code 1: \x1b]0;t\x07`,
      '    2026-01-01T00:00:01.000Z run.completed        complete',
    ]);
  });

  it('issues and warnings quote file contents visibly, each issue on its own two lines', () => {
    const issue = {
      file: `stages.yaml${ESC}[2J`, line: 3, column: 5, subject: 'stage \u202eSPEC', rule: 'unknown-field',
      message: `unknown field "x${ESC}]0;t\u0007\ny"`, fix: 'remove it',
    };
    const expected = String.raw`stages.yaml\x1b[2J:3:5: stage \u202eSPEC: unknown field "x\x1b]0;t\x07\ny" [unknown-field]` + '\n  fix: remove it';
    expect(renderIssues([issue])).toContain(expected);
    expect(renderWarnings([issue])).toBe(`warning: ${expected}\n`);
  });

  it('the summary keeps its own colours around the error made safe, and fits the safe text to the width', () => {
    const view: RunView = {
      title: `Dark${ESC}]0;t\u0007 mode`, feature: 'dark-mode', runner: 'copilot', startedAt: 0, elapsedBefore: 0, maxSeconds: 3600,
      stages: [{ id: 'SPEC', name: 'Spec', agent: 'ba', reviewAgent: null, kind: 'work', group: null, status: 'failed', startedAt: 0, endedAt: 1000, durationMs: 1000, error: `boom ${ESC}[2J\u009b\u202e` }],
      groups: [], output: {}, status: 'error', error: `SPEC failed: boom ${ESC}[2J`, endedAt: 1000,
    };
    const summary = renderRunSummary(view, {
      width: 60, color: true, paths: { artifacts: `.teambot/x${ESC}[2J/artifacts/`, state: 's.json', events: 'e.jsonl' },
      resumeCommand: `teambot resume 'x${ESC}[2J'`,
    });
    // The only escape codes left are teambot's own colours (SGR).
    expect(summary.replace(/\u001b\[[0-9;]*m/g, '')).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(summary).toContain(`${ESC}[31m✗ error: SPEC failed: boom \\x1b[2J${ESC}[39m`);
    expect(summary).toContain(String.raw`failed: boom \x1b[2J\x9b\u202e`);
    expect(summary).toContain(String.raw`Dark\x1b]0;t\x07 mode`);
    expect(summary).toContain(String.raw`.teambot/x\x1b[2J/artifacts/`);
    expect(summary).toContain(String.raw`teambot resume 'x\x1b[2J'`);
    for (const line of summary.replace(/\u001b\[[0-9;]*m/g, '').split('\n')) expect(Array.from(line).length).toBeLessThanOrEqual(60);
  });
});
