import { describe, expect, it } from 'vitest';
import { formatDuration, formatElapsed } from '../../../ui/text/duration.js';

describe('durations in words', () => {
  it('tenths, then minutes and seconds, then hours and minutes', () => {
    expect(formatDuration(2_500)).toBe('2.5 s');
    expect(formatDuration(64_000)).toBe('1 min 04 s');
    expect(formatDuration(3_720_000)).toBe('1 h 02 min');
    expect(formatElapsed(12_345)).toBe('12 s');
  });

  it('never prints NaN or Infinity, whatever a hand-edited file holds', () => {
    for (const format of [formatDuration, formatElapsed]) {
      for (const ms of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -5_000, Number.MAX_VALUE]) {
        expect(format(ms), `${format.name}(${ms})`).not.toMatch(/NaN|Infinity/);
      }
    }
    expect(formatDuration(Number.NaN)).toBe('unknown');
    expect(formatDuration(-5_000)).toBe('0.0 s');
  });
});
