import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineSplitter, readEventLogLines } from '../../../machines/persistence/eventLogStream.js';
import { InputError } from '../../../loader/inputIssue.js';
import { temporaryDirectory } from '../../support/runCli.js';

async function readAll(path: string, start?: number) {
  const lines = [];
  for await (const line of readEventLogLines(path, start === undefined ? {} : { start })) lines.push(line);
  return lines;
}

describe('readEventLogLines', () => {
  it('reads a log with a line over 1 MB and 100 000 lines, one line at a time, with each line\'s byte offset', async () => {
    const path = join(temporaryDirectory(), 'events.jsonl');
    const big = JSON.stringify({ ts: 't', type: 'stage.output', stage: 'SETUP', line: `é${'x'.repeat(3 << 20)}` });
    const small = Array.from({ length: 100_000 }, (_, index) => JSON.stringify({ ts: 't', type: 'stage.output', stage: 'SETUP', line: `line ${index} ✓` }));
    const text = `${[small[0], big, ...small.slice(1)].join('\n')}\n`;
    writeFileSync(path, text);

    const lines = await readAll(path);
    expect(lines).toHaveLength(100_001);
    expect(lines[1]!.text).toBe(big);
    expect(lines.at(-1)!.event).toEqual({ ts: 't', type: 'stage.output', stage: 'SETUP', line: 'line 99999 ✓' });
    const bytes = Buffer.from(text);
    for (const line of [lines[0]!, lines[1]!, lines[2]!, lines[50_000]!, lines.at(-1)!]) {
      expect(bytes.subarray(line.offset, line.offset + Buffer.byteLength(line.text)).toString()).toBe(line.text);
    }
    // From a line's offset, reading starts at that line.
    expect((await readAll(path, lines[50_000]!.offset))[0]!.text).toBe(lines[50_000]!.text);
  });

  it('skips blank lines and lines that do not parse, reads CRLF lines and a last line without its newline', async () => {
    const path = join(temporaryDirectory(), 'events.jsonl');
    writeFileSync(path, '{"type":"run.started"}\r\n\n{"type":"stage.st\n[1,2]\n"text"\n{"type":"run.completed"}');
    expect((await readAll(path)).map((line) => line.event.type)).toEqual(['run.started', 'run.completed']);
  });

  it('reads nothing when the log does not exist, and refuses a directory as not a file', async () => {
    const dir = temporaryDirectory();
    expect(await readAll(join(dir, 'missing.jsonl'))).toEqual([]);
    mkdirSync(join(dir, 'events.jsonl'));
    await expect(readAll(join(dir, 'events.jsonl'))).rejects.toBeInstanceOf(InputError);
  });
});

describe('lineSplitter', () => {
  it('cuts chunks at newlines, whatever the chunk boundaries, and drops lines over the limit', () => {
    const splitter = lineSplitter(0, 8);
    const text = (lines: { bytes: Buffer; offset: number }[]) => lines.map(({ bytes, offset }) => `${offset}:${bytes.toString()}`);
    expect(text(splitter.push(Buffer.from('ab')))).toEqual([]);
    expect(text(splitter.push(Buffer.from('c\nde')))).toEqual(['0:abc']);
    expect(text(splitter.push(Buffer.from('f\n0123456789abc\nxy\n')))).toEqual(['4:def', '22:xy']);
    expect(splitter.end()).toBeUndefined();
    splitter.push(Buffer.from('tail'));
    expect(text([splitter.end()!])).toEqual(['25:tail']);
  });
});
