import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { readInputFile } from '../../loader/readInputFile.js';
import { lineIndex, positionAt } from '../../loader/sourceDocument.js';
import { temporaryDirectory } from '../support/runCli.js';

describe('readInputFile', () => {
  it('reads a regular file, through a symbolic link', async () => {
    const directory = temporaryDirectory();
    writeFileSync(join(directory, 'a.yaml'), 'x: 1\n');
    symlinkSync(join(directory, 'a.yaml'), join(directory, 'link.yaml'));
    expect(await readInputFile(join(directory, 'link.yaml'), 100)).toEqual({ kind: 'read', bytes: Buffer.from('x: 1\n'), tooLarge: false, size: 5 });
  });

  it('says a file over the limit is too large without reading it', async () => {
    const directory = temporaryDirectory();
    writeFileSync(join(directory, 'big'), 'y'.repeat(1000));
    expect(await readInputFile(join(directory, 'big'), 10)).toMatchObject({ kind: 'read', tooLarge: true, size: 1000, bytes: Buffer.alloc(0) });
  });

  it('refuses devices, FIFOs and directories; a missing path or one through a file is missing', async () => {
    const directory = temporaryDirectory();
    await execa('mkfifo', [join(directory, 'pipe')]);
    mkdirSync(join(directory, 'folder'));
    writeFileSync(join(directory, 'file'), '');
    expect(await readInputFile('/dev/zero', 10)).toEqual({ kind: 'not-a-file', what: 'a character device' });
    expect(await readInputFile(join(directory, 'pipe'), 10)).toEqual({ kind: 'not-a-file', what: 'a FIFO (named pipe)' });
    expect(await readInputFile(join(directory, 'folder'), 10)).toEqual({ kind: 'directory' });
    expect(await readInputFile(join(directory, 'nothing'), 10)).toEqual({ kind: 'missing' });
    expect(await readInputFile(join(directory, 'file', 'below'), 10)).toEqual({ kind: 'missing' });
  });
});

describe('positionAt', () => {
  /** The definition: count the newlines before the offset. */
  const naive = (text: string, offset: number) => {
    const before = text.slice(0, Math.max(0, offset)).split('\n');
    return { line: before.length, column: offset < 0 ? offset + 1 : before.at(-1)!.length + 1 + Math.max(0, offset - text.length) };
  };

  it('agrees with counting newlines, at every offset of a text with empty lines and CRLF', () => {
    const text = 'ab\n\ncd\r\nefg\n';
    const index = lineIndex(text);
    for (let offset = 0; offset <= text.length + 2; offset++) {
      expect(index.positionAt(offset), `offset ${offset}`).toEqual(naive(text, offset));
      expect(positionAt(text, offset), `offset ${offset}`).toEqual(naive(text, offset));
    }
  });

  it('answers for a new text after another (the index is per text)', () => {
    expect(positionAt('a\nb', 2)).toEqual({ line: 2, column: 1 });
    expect(positionAt('abc', 2)).toEqual({ line: 1, column: 3 });
  });
});
