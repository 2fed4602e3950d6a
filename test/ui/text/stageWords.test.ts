import { describe, expect, it } from 'vitest';
import { GROUP_VIEW_STATUSES, STAGE_VIEW_STATUSES, type GroupView, type StageView } from '../../../ui/run-view/runViewModel.js';
import {
  GROUP_STATES, STAGE_STATES, groupHeadline, groupState, groupWord, markOfState, markSegment, stageState, stageWord,
} from '../../../ui/text/stageWords.js';

/** Every combination of a status and the flags that refine it, as the reducer can give them. */
const stageVariants = STAGE_VIEW_STATUSES.flatMap((status) =>
  [{}, { completedEarlier: true }, { interrupted: true }].map((flags): Pick<StageView, 'status' | 'completedEarlier' | 'interrupted'> => ({ status, ...flags })));
const groupVariants = GROUP_VIEW_STATUSES.flatMap((status) =>
  [{}, { completedEarlier: true }, { interrupted: true }].map((flags): Pick<GroupView, 'id' | 'status' | 'completedEarlier' | 'interrupted'> => ({ id: 'g', status, ...flags })));
const columns = (text: string) => Array.from(text).length;

describe('the stage and group vocabulary', () => {
  it('gives every stage status the reducer knows a word and a one-column mark', () => {
    for (const stage of stageVariants) {
      const look = STAGE_STATES[stageState(stage)];
      expect(look, JSON.stringify(stage)).toBeDefined();
      expect(look.word.trim(), JSON.stringify(stage)).not.toBe('');
      expect(columns(look.mark), JSON.stringify(stage)).toBe(1);
      expect(stageWord(stage)).toBe(look.word);
    }
  });

  it('gives every group status the reducer knows a word and a one-column mark', () => {
    for (const group of groupVariants) {
      const look = GROUP_STATES[groupState(group)];
      expect(look, JSON.stringify(group)).toBeDefined();
      expect(look.word.trim()).not.toBe('');
      expect(columns(look.mark)).toBe(1);
      expect(groupWord(group, [])).toMatch(new RegExp(`^${look.word}`));
    }
  });

  it('tells each state apart by its word, and by its mark alone except the two kinds of completed', () => {
    for (const table of [STAGE_STATES, GROUP_STATES]) {
      const looks = Object.values(table);
      expect(new Set(looks.map((look) => look.word)).size).toBe(looks.length);
      expect(new Set(looks.map((look) => look.mark)).size).toBe(looks.length - 1);
    }
    expect(STAGE_STATES.completed_earlier.mark).toBe(STAGE_STATES.completed.mark);
  });

  it('words the states a stopped or resumed run leaves', () => {
    expect(stageWord({ status: 'aborted', interrupted: true })).toBe('interrupted');
    expect(stageWord({ status: 'aborted' })).toBe('aborted');
    expect(stageWord({ status: 'completed', completedEarlier: true })).toBe('completed earlier');
    expect(stageWord({ status: 'skipped' })).toBe('skipped');
    expect(groupWord({ id: 'g', status: 'completed', completedEarlier: true }, [])).toBe('completed earlier');
    expect(groupWord({ id: 'g', status: 'failed', interrupted: true }, [])).toBe('interrupted');
  });

  it('says how far a running group is', () => {
    const stages = [{ group: 'g', status: 'completed' }, { group: 'g', status: 'running' }, { group: null, status: 'completed' }] as const;
    expect(groupWord({ id: 'g', status: 'running' }, stages)).toBe('running (1 of 2 done)');
  });

  it('gives the live view a styled mark and status a mark by name', () => {
    expect(markSegment(STAGE_STATES.completed)).toEqual({ text: '✓', color: 'green' });
    expect(markSegment(STAGE_STATES.skipped)).toEqual({ text: '↷', dim: true });
    expect(markOfState('interrupted')).toBe('■');
    expect(markOfState('something_newer')).toBe('?');
    expect(groupHeadline({ id: 'g', status: 'running' }, [{ group: 'g', status: 'completed' }, { group: 'g', status: 'running' }]))
      .toEqual({ text: '▸ running (1 of 2 done)', color: 'cyan' });
  });
});
