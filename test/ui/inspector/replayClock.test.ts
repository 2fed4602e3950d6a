import { describe, expect, it } from 'vitest';
import { clampPosition, openingPosition, REPLAY_MAX_IDLE_MS, ReplayClock, timelineText } from '../../../ui/inspector/page/replayClock.js';
import { completeRun, log, loose } from './fixtures.js';

describe('the replay', () => {
  it('keeps the slider within the events', () => {
    expect(clampPosition(-3, 10)).toBe(0);
    expect(clampPosition(12, 10)).toBe(10);
    expect(clampPosition(Number.NaN, 10)).toBe(0);
  });

  it('labels the timeline with the time and event reached', () => {
    expect(timelineText(completeRun, 0)).toBe('0.0 s / 15.0 s · event 0 of 16');
    expect(timelineText(completeRun, 4)).toBe('3.0 s / 15.0 s · event 4 of 16');
    expect(timelineText([], 0)).toBe('no events');
  });

  it('plays a short run in real time', () => {
    const clock = new ReplayClock(completeRun, 0);
    expect(clock.advance(0, 0)).toBe(1);
    expect(clock.advance(1, 1000)).toBe(2);
  });

  it('plays a long run faster, and skips its quiet stretches', () => {
    const hour = 3_600_000;
    const events = log({ type: 'run.started' }, { type: 'x' }).concat(loose({ type: 'run.completed', ts: new Date(Date.UTC(2026, 0, 1) + hour).toISOString() }));
    const clock = new ReplayClock(events, 2);
    // An hour plays in about 30 s: 120× speed; the last event is an hour away, so the clock jumps to within REPLAY_MAX_IDLE_MS of it.
    expect(clock.advance(2, 0)).toBe(2);
    expect(clock.advance(2, REPLAY_MAX_IDLE_MS)).toBe(3);
  });
});

describe('where a replay opens', () => {
  it('just after the first stage failure, naming that stage, across sessions', () => {
    const events = log(
      { type: 'run.started' }, { type: 'stage.started', stage: 'A' }, { type: 'stage.failed', stage: 'A', error: 'x' },
      { type: 'run.completed', status: 'error' }, { type: 'run.started' }, { type: 'stage.failed', stage: 'B', error: 'y' },
    );
    expect(openingPosition(events)).toEqual({ position: 3, stage: 'A' });
  });

  it('on the final state when nothing failed', () => {
    expect(openingPosition(completeRun)).toEqual({ position: completeRun.length });
    expect(openingPosition([])).toEqual({ position: 0 });
  });
});
