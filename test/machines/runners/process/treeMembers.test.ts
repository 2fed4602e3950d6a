import { describe, expect, it } from 'vitest';
import { markerIn, parsePsTable, type ProcessEntry, type ProcessTable } from '../../../../machines/runners/process/processTable.js';
import { treeMembers } from '../../../../machines/runners/process/treeMembers.js';

const entry = (pid: number, ppid: number, pgid: number, marker?: string): ProcessEntry => ({ pid, ppid, pgid, marker });

/**
 * teambot (10) started agent 20 (its own group); the agent started 21 in its group, 22 which
 * left it with setsid and was re-parented to PID 1, and 22 started 23. 30 is another agent,
 * 40 an unrelated process.
 */
const entries = [
  entry(1, 0, 1), entry(10, 1, 10),
  entry(20, 10, 20, 'T.1'), entry(21, 20, 20, 'T.1'), entry(22, 1, 22, 'T.1'), entry(23, 22, 22, 'T.1'),
  entry(30, 10, 30, 'T.2'), entry(40, 1, 40),
];

describe('treeMembers', () => {
  it('finds an agent\'s group and the descendants that left it by their marker', () => {
    const table: ProcessTable = { entries, markersKnown: true };
    expect(treeMembers(table, { marker: 'T.1', pid: 20, pgid: 20 }, 10).sort()).toEqual([20, 21, 22, 23]);
  });

  it('finds a recorded tree by its marker alone, whatever its pid and group became', () => {
    const table: ProcessTable = { entries: entries.filter((process) => process.pid !== 20), markersKnown: true };
    expect(treeMembers(table, { marker: 'T.1' }, 10).sort()).toEqual([21, 22, 23]);
  });

  it('without markers (no /proc), follows the group and the parent links', () => {
    const table: ProcessTable = { entries: entries.map((process) => ({ ...process, marker: undefined })), markersKnown: false };
    expect(treeMembers(table, { marker: 'T.1', pid: 20, pgid: 20 }, 10).sort()).toEqual([20, 21]);
  });

  it('never includes teambot itself, nor its other children', () => {
    const table: ProcessTable = { entries: [...entries, entry(50, 10, 10, 'T.3')], markersKnown: true };
    expect(treeMembers(table, { marker: 'T.3', pgid: 10 }, 10)).toEqual([50]);
  });
});

describe('reading the process table', () => {
  it('reads the marker out of a NUL-separated environment, wherever it is', () => {
    expect(markerIn('PATH=/bin\0TEAMBOT_AGENT=41.ab.3\0HOME=/root\0')).toBe('41.ab.3');
    expect(markerIn('TEAMBOT_AGENT=41.ab.3')).toBe('41.ab.3');
    expect(markerIn('MY_TEAMBOT_AGENT=1\0PATH=/bin')).toBeUndefined();
    expect(markerIn(undefined)).toBeUndefined();
  });

  it('parses ps output and leaves zombies out', () => {
    expect(parsePsTable('  1     0     1 Ss\n 20    10    20 S+\n 21    20    20 Z\n')).toEqual([
      entry(1, 0, 1), entry(20, 10, 20),
    ]);
  });
});
