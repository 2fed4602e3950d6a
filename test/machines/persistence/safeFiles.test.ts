import { closeSync, lstatSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { endsMidLine, makePrivateDirectory, openForAppend, writeAll, writeFileAtomically } from '../../../machines/persistence/safeFiles.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'teambot-safe-'));

describe('safeFiles', () => {
  it('makePrivateDirectory creates 0700 directories below the root and refuses a link in the chain', () => {
    const root = join(scratch(), 'runs');
    makePrivateDirectory(join(root, 'x', 'artifacts'), root);
    for (const path of [root, join(root, 'x'), join(root, 'x', 'artifacts')]) expect(lstatSync(path).mode & 0o777).toBe(0o700);
    symlinkSync(scratch(), join(root, 'y'));
    expect(() => makePrivateDirectory(join(root, 'y', 'artifacts'), root)).toThrow(/symlink-refused/);
    expect(() => makePrivateDirectory('/etc/x', root)).toThrow(/path-outside-run/);
  });

  it('writeFileAtomically writes 0600 whole files, refuses a link in its place or a directory leading out, and leaves no temporary file', () => {
    const root = scratch();
    const path = join(root, 'state.json');
    writeFileAtomically(path, 'one', { root });
    writeFileAtomically(path, 'two', { root });
    expect(readFileSync(path, 'utf8')).toBe('two');
    expect(lstatSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(root)).toEqual(['state.json']);

    const outside = join(scratch(), 'target');
    writeFileSync(outside, 'theirs');
    symlinkSync(outside, join(root, 'linked.json'));
    expect(() => writeFileAtomically(join(root, 'linked.json'), 'ours', { root })).toThrow(/symlink-refused/);
    symlinkSync(scratch(), join(root, 'out'));
    expect(() => writeFileAtomically(join(root, 'out', 'file'), 'ours', { root })).toThrow(/path-outside-run/);
    expect(readFileSync(outside, 'utf8')).toBe('theirs');
  });

  /** What the event log and the output files do: open to append, write, close. */
  const appendToFile = (path: string, text: string) => {
    const fd = openForAppend(path);
    try {
      writeAll(fd, Buffer.from(text));
    } finally {
      closeSync(fd);
    }
  };

  it('openForAppend appends 0600, never through a link, and endsMidLine tells a cut last line', () => {
    const root = scratch();
    const path = join(root, 'events.jsonl');
    expect(endsMidLine(path)).toBe(false);
    appendToFile(path, '{"a":1}\n');
    expect(endsMidLine(path)).toBe(false);
    appendToFile(path, '{"b":');
    expect(endsMidLine(path)).toBe(true);
    expect(lstatSync(path).mode & 0o777).toBe(0o600);
    const outside = join(scratch(), 'target');
    writeFileSync(outside, 'theirs');
    symlinkSync(outside, join(root, 'linked.jsonl'));
    expect(() => appendToFile(join(root, 'linked.jsonl'), 'x')).toThrow(/symlink-refused/);
    expect(readFileSync(outside, 'utf8')).toBe('theirs');
  });
});
