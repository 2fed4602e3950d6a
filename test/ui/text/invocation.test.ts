import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { invocationOf, printedCommand, withInvocation } from '../../../ui/text/invocation.js';
import { temporaryDirectory } from '../../support/runCli.js';

/** A project with an installed teambot (node_modules/.bin/teambot → the package's script), and a script elsewhere. */
function layout() {
  const root = temporaryDirectory();
  const script = join(root, 'project', 'node_modules', 'teambot', 'dist', 'cli.js');
  mkdirSync(join(script, '..'), { recursive: true });
  writeFileSync(script, '');
  mkdirSync(join(root, 'project', 'node_modules', '.bin'), { recursive: true });
  symlinkSync(script, join(root, 'project', 'node_modules', '.bin', 'teambot'));
  const globalBin = join(root, 'global-bin');
  mkdirSync(globalBin);
  const other = join(root, 'clone', 'dist', 'cli.js');
  mkdirSync(join(other, '..'), { recursive: true });
  writeFileSync(other, '');
  return { root, script, other, globalBin, project: join(root, 'project'), deep: join(root, 'project', 'src', 'app') };
}

describe('how printed commands start', () => {
  it('npx teambot inside a project that has it installed, also from a subdirectory', () => {
    const { script, project, deep } = layout();
    mkdirSync(deep, { recursive: true });
    expect(invocationOf(script, { cwd: project, env: { PATH: '' } })).toBe('npx teambot');
    expect(invocationOf(script, { cwd: deep, env: { PATH: '' } })).toBe('npx teambot');
  });

  it('teambot when that name on PATH is this script, not when it is another teambot', () => {
    const { script, other, globalBin, root } = layout();
    symlinkSync(other, join(globalBin, 'teambot'));
    expect(invocationOf(other, { cwd: root, env: { PATH: globalBin } })).toBe('teambot');
    expect(invocationOf(script, { cwd: root, env: { PATH: globalBin } })).toBe('node project/node_modules/teambot/dist/cli.js');
  });

  it('node with the script\'s path otherwise, relative when below the working directory, quoted when needed', () => {
    const root = temporaryDirectory();
    const script = join(root, 'my clone', 'dist', 'cli.js');
    mkdirSync(join(script, '..'), { recursive: true });
    writeFileSync(script, '');
    expect(invocationOf(script, { cwd: join(root, 'my clone'), env: { PATH: '' } })).toBe('node dist/cli.js');
    expect(invocationOf(script, { cwd: root, env: { PATH: '' } })).toBe("node 'my clone/dist/cli.js'");
  });

  it('quotes arguments for a shell, and rewrites commands inside fixes', () => {
    expect(printedCommand('npx teambot', ['resume', "it's here", '--max-hours', '9'])).toBe("npx teambot resume 'it'\\''s here' --max-hours 9");
    expect(withInvocation('start one with `teambot run x.md`', 'npx teambot')).toBe('start one with `npx teambot run x.md`');
    expect(withInvocation('see `teambotx` and teambot.json', 'npx teambot')).toBe('see `teambotx` and teambot.json');
  });
});
