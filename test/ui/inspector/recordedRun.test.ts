import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordedEventJson, scanRecordedRun, stagesDoneBeforeLog } from '../../../ui/inspector/server/recordedRun.js';
import { temporaryDirectory } from '../../support/runCli.js';

/** An events.jsonl of the given events, one JSON line each. */
function eventsFile(...events: Record<string, unknown>[]): string {
  const path = join(temporaryDirectory(), 'events.jsonl');
  writeFileSync(path, events.map((event, index) => `${JSON.stringify({ ts: new Date(index * 1000).toISOString(), ...event })}\n`).join(''));
  return path;
}

const failedThenResumed = [
  { type: 'run.started', feature: 'f', objective: 'o.md' }, { type: 'stage.completed', stage: 'A' }, { type: 'stage.failed', stage: 'B', error: 'x' },
  { type: 'run.completed', status: 'error' }, { type: 'run.started', feature: 'f', objective: 'o.md', resumed: true },
  { type: 'stage.completed', stage: 'B' }, { type: 'run.completed', status: 'complete' },
];

describe('a recorded run', () => {
  it('is every session of the log, in order', async () => {
    const path = eventsFile(...failedThenResumed);
    const log = await scanRecordedRun(path);
    expect(log).toMatchObject({ eventCount: 7, sessions: 2, startsResumed: false });
    const served: string[] = [];
    for await (const text of recordedEventJson(path)) served.push((JSON.parse(text) as { type: string }).type);
    expect(served).toEqual(failedThenResumed.map((event) => event.type));
  });

  it('has nothing done before its first event when it holds the first session', async () => {
    const log = await scanRecordedRun(eventsFile(...failedThenResumed));
    expect(stagesDoneBeforeLog(log, ['A', 'B', 'DONE'], ['A', 'B', 'DONE'])).toEqual([]);
  });

  it('when it starts with a resumed session, has the completed stages no event mentions done before it, not the terminal one', async () => {
    const log = await scanRecordedRun(eventsFile(...failedThenResumed.slice(4)));
    expect(stagesDoneBeforeLog(log, ['A', 'B', 'DONE'], ['A', 'B', 'DONE'])).toEqual(['A']);
  });
});
