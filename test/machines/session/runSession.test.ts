import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfiguration } from '../../../loader/loadConfiguration.js';
import { parseObjective } from '../../../loader/objective.js';
import type { AgentRunner } from '../../../machines/runners/agentRunner.js';
import type { RunEvent } from '../../../machines/session/runEvents.js';
import { startRun } from '../../../machines/session/runSession.js';
import { formatEventLine } from '../../../ui/text/plainReporter.js';
import { temporaryDirectory } from '../../support/runCli.js';

const objective = parseObjective('# Objective: Add a dark mode toggle\n## Goals\n- a toggle\n', 'demo.md');

/**
 * Virtual time: a wait registers a wake-up and the clock jumps to the earliest
 * one once everything started in the same turn has registered, so concurrent
 * waits overlap as they would in real time, without sleeping.
 */
function virtualTime() {
  let now = Date.parse('2026-01-01T00:00:00.000Z');
  const timers: { at: number; wake: () => void }[] = [];
  const advance = () => {
    timers.sort((a, b) => a.at - b.at);
    const next = timers.shift();
    if (!next) return;
    now = next.at;
    next.wake();
  };
  return {
    now: () => now,
    wait: (ms: number) => new Promise<void>((wake) => {
      timers.push({ at: now + ms, wake });
      setImmediate(advance);
    }),
  };
}

describe('run session', () => {
  it('timestamps events with the injected clock and computes stage durations from it', async () => {
    const cwd = temporaryDirectory();
    const configuration = await loadConfiguration({ cwd });
    const time = virtualTime();
    // No file I/O in this runner: only microtasks run between two clock jumps.
    const runner: AgentRunner = {
      async run(request) {
        await time.wait(request.stage === 'RESEARCH' ? 3000 : 1000);
        for (const artifact of request.artifacts) writeFileSync(join(request.artifactsDir, artifact), 'written');
        if (request.role === 'review') return { output: 'VERIFIED_APPROVED: ok' };
        if (request.role === 'acceptance') return { output: 'ok', acceptance: { passed: 1, failed: 0, total: 1 } };
        return { output: `${request.stage} done` };
      },
    };
    const events: RunEvent[] = [];
    const handle = startRun({
      configuration, objective, objectivePath: 'demo.md', cwd, runner, runnerName: 'simulated',
      maxSeconds: 3600, now: time.now, sinks: [{ onEvent: (event) => events.push(event) }],
    });
    const outcome = await handle.done;
    expect(outcome.status).toBe('complete');
    expect(events[0]).toMatchObject({ ts: '2026-01-01T00:00:00.000Z', type: 'run.started' });
    const durations = Object.fromEntries(events.filter((event) => event.type === 'stage.completed').map((event) => [event.stage, event.duration_ms]));
    expect(durations).toMatchObject({ SETUP: 1000, SPEC_REVIEW: 2000, RESEARCH: 3000, TEST_STRATEGY: 1000, ACCEPTANCE_TEST: 1000 });
    // 15 sequential calls of 1 s plus the group's 3 s slot: the critical path, exactly.
    expect(outcome.durationMs).toBe(18_000);
    const logged = readFileSync(join(outcome.featureDir, 'events.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as RunEvent);
    expect(logged).toEqual(events);
    expect(logged.at(-1)).toMatchObject({ type: 'run.completed', status: 'complete', duration_ms: outcome.durationMs });
  });
});

describe('plain reporter', () => {
  const ts = '2026-01-01T00:00:00.000Z';
  it.each([
    [{ ts, type: 'stage.started', stage: 'SPEC', agent: 'ba', role: 'work' }, `${ts} stage.started        SPEC  agent ba`],
    [{ ts, type: 'stage.completed', stage: 'SPEC', duration_ms: 1234 }, `${ts} stage.completed      SPEC  1.2 s`],
    [{ ts, type: 'review.iteration', stage: 'SPEC_REVIEW', iteration: 1, max: 4, verdict: 'rejected', feedback: 'add tests\nmore' },
      `${ts} review.iteration     SPEC_REVIEW  1/4 rejected: add tests`],
    [{ ts, type: 'group.failed', group: 'g', stages: ['A', 'B'], failed: ['B'] }, `${ts} group.failed         g  failed: B`],
    [{ ts, type: 'acceptance.iteration', stage: 'AT', iteration: 2, passed: 5, failed: 0, total: 5 }, `${ts} acceptance.iteration AT  round 2: 5/5 passed, 0 failed`],
    [{ ts, type: 'run.completed', status: 'error', duration_ms: 5000, error: 'X failed' }, `${ts} run.completed        error  in 5.0 s  X failed`],
  ])('formats %o', (event, line) => {
    expect(formatEventLine(event as RunEvent)).toBe(line);
  });

  it('prints no escape codes', () => {
    expect(formatEventLine({ ts, type: 'stage.failed', stage: 'S', error: 'boom' })).not.toMatch(/\u001b\[/);
  });

  it('hands every event to each sink in order, then calls each run-end hook once, after the final state is saved', async () => {
    const cwd = temporaryDirectory();
    const configuration = await loadConfiguration({ cwd });
    const runner: AgentRunner = {
      async run(request) {
        for (const artifact of request.artifacts) writeFileSync(join(request.artifactsDir, artifact), 'written');
        if (request.role === 'review') return { output: 'VERIFIED_APPROVED: ok' };
        if (request.role === 'acceptance') return { output: 'ok', acceptance: { passed: 1, failed: 0, total: 1 } };
        return { output: `${request.stage} done` };
      },
    };
    const seen: string[] = [];
    const ended: { status: string; savedStatus: string; eventsSeen: number }[] = [];
    const handle = startRun({
      configuration, objective, objectivePath: 'demo.md', cwd, runner, runnerName: 'simulated', maxSeconds: 3600,
      sinks: [
        { onEvent: (event) => seen.push(`first ${event.type}`) },
        {
          onEvent: (event) => seen.push(`second ${event.type}`),
          onRunEnd: (outcome) => {
            const saved = JSON.parse(readFileSync(outcome.statePath, 'utf8')) as { status: string };
            ended.push({ status: outcome.status, savedStatus: saved.status, eventsSeen: seen.length });
          },
        },
        // A hook that fails (a notifier offline) changes nothing.
        { onRunEnd: () => Promise.reject(new Error('offline')) },
      ],
    });
    const outcome = await handle.done;
    expect(outcome.status).toBe('complete');
    expect(seen.slice(0, 2)).toEqual(['first run.started', 'second run.started']);
    expect(seen.at(-1)).toBe('second run.completed');
    expect(ended).toEqual([{ status: 'complete', savedStatus: 'complete', eventsSeen: seen.length }]);
  });
});
