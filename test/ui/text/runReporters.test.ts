import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../machines/session/runEvents.js';
import type { RunOutcome } from '../../../machines/session/runSession.js';
import { jsonLinesReporter } from '../../../ui/text/jsonLinesReporter.js';
import { quietLine, quietReporter } from '../../../ui/text/quietReporter.js';

const ts = '2026-01-01T00:00:00.000Z';
const started = { ts, type: 'stage.started', stage: 'SPEC', agent: 'ba', role: 'work' } as RunEvent;
const output = (line: string) => ({ ts, type: 'stage.output', stage: 'SPEC', line }) as RunEvent;
const completed = { ts, type: 'run.completed', status: 'complete', duration_ms: 5, elapsed_seconds: 1 } as RunEvent;

function outcome(fields: Partial<RunOutcome>): RunOutcome {
  return {
    status: 'complete', error: null, failedStages: [], featureDir: '/project/.teambot/csv-export',
    statePath: '/project/.teambot/csv-export/orchestration_state.json', eventsPath: '/project/.teambot/csv-export/events.jsonl',
    durationMs: 1000, elapsedSeconds: 1, context: {} as RunOutcome['context'], ...fields,
  };
}

describe('jsonLinesReporter (run --json)', () => {
  it('writes each event as one JSON line that parses back to it, run.completed last', async () => {
    const lines: string[] = [];
    const sink = jsonLinesReporter((line) => lines.push(line));
    sink.onEvent!(started);
    sink.onEvent!(completed);
    // Agent output is batched: a line logged after run.completed still goes out before it.
    sink.onEvent!(output('late'));
    await sink.onRunEnd!(outcome({}));
    expect(lines.map((line) => JSON.parse(line))).toEqual([started, output('late'), completed]);
    expect(lines.every((line) => !line.includes('\n'))).toBe(true);
  });

  it('escapes what could act on a terminal, and the line still parses to the same text', () => {
    const lines: string[] = [];
    const sink = jsonLinesReporter((line) => lines.push(line));
    const hostile = 'title\u001b]0;pwned\u0007 csi\u009b2J bidi\u202e';
    sink.onEvent!(output(hostile));
    expect(lines[0]).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect((JSON.parse(lines[0]!) as { line: string }).line).toBe(hostile);
  });
});

describe('quietReporter (run --quiet)', () => {
  const context = { cwd: '/project', maxSeconds: 8 * 3600 };

  it('a complete run: its feature and status, nothing else', () => {
    expect(quietLine(outcome({}), context)).toBe('csv-export: complete');
  });

  it('a run that did not complete: the status and the command that resumes it, as the user runs teambot', () => {
    expect(quietLine(outcome({ status: 'error', error: 'SPEC failed' }), { ...context, invocation: 'npx teambot' }))
      .toBe('csv-export: error; resume: npx teambot resume csv-export');
    expect(quietLine(outcome({ status: 'timeout', elapsedSeconds: 8 * 3600 }), context))
      .toBe('csv-export: timeout; resume: teambot resume csv-export --max-hours 16');
  });

  it('prints nothing while the run goes; at the end the error on one stream, the line on the other', async () => {
    const written: string[] = [];
    const errors: string[] = [];
    const sink = quietReporter({ write: (line) => written.push(line), error: (line) => errors.push(line) }, context);
    expect(sink.onEvent).toBeUndefined();
    await sink.onRunEnd!(outcome({ status: 'error', error: 'SPEC: agent exited 1\u001b[2J' }));
    expect(errors).toEqual(['teambot: SPEC: agent exited 1\\x1b[2J']);
    expect(written).toEqual(['csv-export: error; resume: teambot resume csv-export']);
  });
});
