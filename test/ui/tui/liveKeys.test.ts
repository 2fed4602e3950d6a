import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { liveKeys } from '../../../ui/tui/liveKeys.js';

const none: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false,
};

describe('liveKeys', () => {
  it('splits a chunk of plain characters that Ink hands over as one input', () => {
    expect(liveKeys('\t\t', none)).toEqual([{ name: 'tab' }, { name: 'tab' }]);
    expect(liveKeys('/line 7\r', none).map((key) => (key.name === 'char' ? key.char : key.name)))
      .toEqual(['/', 'l', 'i', 'n', 'e', ' ', '7', 'return']);
    expect(liveKeys('\u0003\u0003', none)).toEqual([{ name: 'ctrlC' }, { name: 'ctrlC' }]);
  });

  it('reads the keys Ink recognised by name', () => {
    expect(liveKeys('', { ...none, tab: true })).toEqual([{ name: 'tab' }]);
    expect(liveKeys('', { ...none, tab: true, shift: true })).toEqual([{ name: 'backtab' }]);
    expect(liveKeys('', { ...none, pageUp: true })).toEqual([{ name: 'pageUp' }]);
    expect(liveKeys('c', { ...none, ctrl: true })).toEqual([{ name: 'ctrlC' }]);
    expect(liveKeys('N', { ...none, shift: true })).toEqual([{ name: 'char', char: 'N' }]);
  });

  it('reads Esc joined to the next key (which Ink sees as Alt+key) as both keys', () => {
    expect(liveKeys('', { ...none, end: true, meta: true })).toEqual([{ name: 'escape' }, { name: 'end' }]);
    expect(liveKeys('', { ...none, escape: true, meta: true })).toEqual([{ name: 'escape' }]);
  });

  it('ignores Alt+letter and other control keys', () => {
    expect(liveKeys('x', { ...none, meta: true })).toEqual([]);
    expect(liveKeys('a', { ...none, ctrl: true })).toEqual([]);
  });
});
