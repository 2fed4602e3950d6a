import { afterEach, describe, expect, it, vi } from 'vitest';
import { longTimeout, MAX_TIMER_MS } from '../../../machines/time/longTimeout.js';

const DAY_MS = 24 * 3600 * 1000;

afterEach(() => {
  vi.useRealTimers();
});

describe('longTimeout', () => {
  it('waits a delay longer than a Node timer holds (60 days), firing once at its end', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    longTimeout(60 * DAY_MS, fired);
    vi.advanceTimersByTime(MAX_TIMER_MS + 1000);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(60 * DAY_MS - MAX_TIMER_MS - 1001);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('waits a short delay as one timer, and can be cancelled', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    const cancel = longTimeout(1500, fired);
    vi.advanceTimersByTime(1499);
    cancel();
    vi.advanceTimersByTime(10 * DAY_MS);
    expect(fired).not.toHaveBeenCalled();
  });

  it('cancels between the timers of a long delay', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    const cancel = longTimeout(3 * MAX_TIMER_MS, fired);
    vi.advanceTimersByTime(MAX_TIMER_MS + 5);
    cancel();
    vi.advanceTimersByTime(3 * MAX_TIMER_MS);
    expect(fired).not.toHaveBeenCalled();
  });
});
