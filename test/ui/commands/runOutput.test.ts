import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../machines/session/runEvents.js';
import { chooseDisplay, eventReporters, runTextOutput, type RunOutputDisplay } from '../../../ui/commands/runOutput.js';

const terminal = { json: false, quiet: false, ui: true, stdoutIsTty: true, env: {} };

describe('chooseDisplay: what the user asked for wins over what the terminal allows', () => {
  it.each([
    [{}, 'live'],
    [{ json: true }, 'json'],
    [{ json: true, quiet: true }, 'json'],
    [{ quiet: true }, 'quiet'],
    [{ json: true, stdoutIsTty: false, env: { CI: 'true' } }, 'json'],
    [{ quiet: true, ui: false }, 'quiet'],
    [{ ui: false }, 'lines'],
    [{ stdoutIsTty: false }, 'lines'],
    [{ env: { CI: 'true' } }, 'lines'],
    [{ env: { CI: 'false' } }, 'live'],
    [{ env: { CI: '0' } }, 'live'],
    [{ env: { CI: '' } }, 'live'],
  ] as const)('%j → %s', (flags, display) => {
    expect(chooseDisplay({ ...terminal, ...flags })).toBe(display);
  });
});

describe('where a run\'s lines go, by display', () => {
  const event = { ts: '2026-01-01T00:00:00.000Z', type: 'stage.started', stage: 'SPEC', agent: 'ba', role: 'work' } as RunEvent;
  const capture = (display: RunOutputDisplay) => {
    const out = { stdout: [] as string[], stderr: [] as string[] };
    const output = { stdout: (line: string) => out.stdout.push(line), stderr: (line: string) => out.stderr.push(line) };
    // In a run's order: the inspector's address, the events, the run's end (reporters flush what they batched), the summary.
    const text = runTextOutput(display, output);
    text.note('inspector  http://127.0.0.1:1234/');
    const sinks = eventReporters(display, output, { cwd: '/p', maxSeconds: 3600 });
    for (const sink of sinks) sink.onEvent?.(event);
    // The line reporter batches a tick's lines; its run-end hook writes them (the quiet one needs a real outcome, and has nothing batched).
    if (display === 'lines') for (const sink of sinks) void sink.onRunEnd?.(undefined as never);
    text.closing('summary');
    return out;
  };

  it('json: only events on stdout; the note and the summary on stderr', () => {
    const out = capture('json');
    expect(out.stdout.map((line) => JSON.parse(line) as unknown)).toEqual([event]);
    expect(out.stderr).toEqual(['inspector  http://127.0.0.1:1234/', 'summary']);
  });

  it('quiet: nothing while the run goes, the note on stderr, no summary', () => {
    expect(capture('quiet')).toEqual({ stdout: [], stderr: ['inspector  http://127.0.0.1:1234/'] });
  });

  it('lines: an event line, the note and the summary on stdout', () => {
    const out = capture('lines');
    expect(out.stdout).toHaveLength(3);
    expect(out.stdout[0]).toBe('inspector  http://127.0.0.1:1234/');
    expect(out.stdout[1]).toMatch(/^2026-01-01T00:00:00.000Z stage.started +SPEC/);
    expect(out.stdout[2]).toBe('summary');
    expect(out.stderr).toEqual([]);
  });

  it('live: no event lines (the view shows them), the note and the summary on stdout', () => {
    expect(capture('live')).toEqual({ stdout: ['inspector  http://127.0.0.1:1234/', 'summary'], stderr: [] });
  });
});
