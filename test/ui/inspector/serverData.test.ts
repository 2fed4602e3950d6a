import { describe, expect, it } from 'vitest';
import { allRunEvents, currentRunEvents, eventKey, normaliseRun } from '../../../ui/inspector/page/serverData.js';
import { loose } from './fixtures.js';

describe("reading the server's data", () => {
  it('fills in what a partial /api/run leaves out', () => {
    expect(normaliseRun({ feature: 'dark-mode' })).toEqual({
      mode: 'replay', feature: 'dark-mode', title: 'dark-mode', stage_order: [], groups: {}, status: null, completed_before: [],
    });
    expect(normaliseRun(null).title).toBe('teambot run');
    expect(normaliseRun({ mode: 'live', stage_order: ['A', 1], status: 'complete' })).toMatchObject({ mode: 'live', stage_order: ['A', '1'], status: 'complete' });
  });

  it('keeps only the last run of the log, and drops what is not an event', () => {
    const events = [{ type: 'run.started', n: 1 }, { type: 'run.completed' }, null, 'x', { type: 'run.started', n: 2 }, { type: 'stage.started' }];
    expect(currentRunEvents(events)).toEqual([{ type: 'run.started', n: 2 }, { type: 'stage.started' }]);
    expect(currentRunEvents({})).toEqual([]);
  });

  it('recognises an event whatever order its fields came in', () => {
    expect(eventKey(loose({ type: 'a', ts: '1', stage: 'S' }))).toBe(eventKey(loose({ stage: 'S', ts: '1', type: 'a' })));
    expect(eventKey(loose({ type: 'a', ts: '1' }))).not.toBe(eventKey(loose({ type: 'a', ts: '2' })));
  });
});

describe('a replay', () => {
  it('keeps every event of every session, in order, and drops what is not an event', () => {
    const events = [loose({ type: 'run.started', ts: 'a' }), 7, loose({ type: 'run.completed', ts: 'b' }), loose({ type: 'run.started', ts: 'c' })];
    expect(allRunEvents(events).map((event) => event.ts)).toEqual(['a', 'b', 'c']);
    expect(allRunEvents({})).toEqual([]);
  });
});
