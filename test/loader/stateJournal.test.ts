import { describe, expect, it } from 'vitest';
import { applyJournalOperations, jsonPointer, replayJournal } from '../../loader/stateJournal.js';

describe('the checkpoint journal, replayed', () => {
  it('applies its generation\'s records in order, skips another generation\'s, ignores a torn last line', () => {
    const state: Record<string, unknown> = { journal_id: 'b', stages: { SPEC: { status: 'pending' } }, status: 'in_progress' };
    const text = [
      JSON.stringify({ journal: 'a', seq: 1, ops: [{ op: 'add', path: '/status', value: 'stale' }] }),
      JSON.stringify({ journal: 'b', seq: 1, ops: [{ op: 'add', path: jsonPointer(['stages', 'SPEC']), value: { status: 'completed' } }] }),
      JSON.stringify({ journal: 'b', seq: 2, ops: [{ op: 'add', path: '/stages/a~1b~0c', value: { status: 'running' } }, { op: 'remove', path: '/status' }] }),
      '{"journal":"b","seq":3,"ops":[{"op":"add","pa',
    ].join('\n');
    expect(replayJournal(state, text, 'j.jsonl')).toEqual({ applied: 2, otherGeneration: 1, tornTail: true });
    expect(state).toEqual({ journal_id: 'b', stages: { SPEC: { status: 'completed' }, 'a/b~c': { status: 'running' } } });
  });

  it('refuses a path into an object\'s prototype, and a record out of order, naming the line', () => {
    const target: Record<string, unknown> = { stages: {} };
    expect(applyJournalOperations(target, [{ op: 'add', path: '/stages/__proto__/polluted', value: true }])).toMatch(/not a path/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const outOfOrder = `${JSON.stringify({ journal: 'b', seq: 2, ops: [] })}\n`;
    expect(() => replayJournal({ journal_id: 'b' }, outOfOrder, 'j.jsonl')).toThrow(/line 1 \(record 2 where 1 belongs\)/);
  });
});
