import { describe, expect, it } from 'vitest';
import { createLineSplitter } from '../../../../machines/runners/process/lineSplitter.js';
import { createLineTail } from '../../../../machines/runners/process/lineTail.js';
import { capStageOutput } from '../../../../machines/runners/stageOutputCap.js';

describe('createLineSplitter', () => {
  const split = (chunks: string[], max = 1000) => {
    const lines: string[] = [];
    const splitter = createLineSplitter(max, (line) => lines.push(line));
    for (const chunk of chunks) splitter.write(Buffer.from(chunk));
    splitter.end();
    return lines;
  };

  it('joins lines across chunks, drops \\n and \\r\\n, keeps a last line without newline', () => {
    expect(split(['a\nb', 'c\r\n', '\nd'])).toEqual(['a', 'bc', '', 'd']);
  });

  it('passes a line longer than the limit on in pieces, never inside a character', () => {
    expect(split(['x'.repeat(25)], 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
    const lines = split(['ééééééé'], 5); // 2 bytes each
    expect(lines.join('')).toBe('ééééééé');
    expect(lines.every((line) => !line.includes('\uFFFD'))).toBe(true);
  });

  it('decodes a character split between chunks', () => {
    const bytes = Buffer.from('né\n');
    const lines: string[] = [];
    const splitter = createLineSplitter(100, (line) => lines.push(line));
    splitter.write(bytes.subarray(0, 2));
    splitter.write(bytes.subarray(2));
    expect(lines).toEqual(['né']);
  });
});

describe('createLineTail', () => {
  it('keeps the last lines within the cap and says it dropped some', () => {
    const tail = createLineTail(10);
    for (const line of ['12345', '67890', 'x']) tail.push(line);
    expect(tail.lines()).toEqual(['67890', 'x']);
    expect(tail.truncated).toBe(true);
  });

  it('stays exact over many lines (the queue compacts)', () => {
    const tail = createLineTail(30);
    for (let index = 0; index < 5000; index++) tail.push(String(index).padStart(10, '0'));
    expect(tail.lines()).toEqual(['0000004997', '0000004998', '0000004999']);
  });
});

describe('capStageOutput', () => {
  it('returns output within the cap as it is', () => {
    expect(capStageOutput(['a', 'b'], false, 'out.log', 100)).toBe('a\nb');
  });

  it('keeps the last whole lines within the cap and names the full output file', () => {
    const lines = Array.from({ length: 50 }, (_, index) => `line ${index}`);
    const output = capStageOutput(lines, false, '.teambot/x/output/SPEC.log', 40);
    expect(output.split('\n')[0]).toMatch(/^\[teambot\] the start of this output is left out .*; all of it is in \.teambot\/x\/output\/SPEC\.log$/);
    expect(output.split('\n').slice(1)).toEqual(['line 45', 'line 46', 'line 47', 'line 48', 'line 49']);
  });

  it('says so when the tail had already lost its start', () => {
    expect(capStageOutput(['end'], true, 'out.log', 100)).toMatch(/^\[teambot\] the start .*\nend$/);
  });
});
