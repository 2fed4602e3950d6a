import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { builtinFiles } from '../../config/builtinFiles.js';
import type { CommandIo } from '../commandIo.js';
import { ExitCode } from '../exitCodes.js';

/** Source in the package → destination relative to the user's directory. */
async function scaffoldFiles(): Promise<[source: string, destination: string][]> {
  const personas = (await readdir(builtinFiles.agentsDirectory)).filter((name) => name.endsWith('.agent.md')).sort();
  return [
    [builtinFiles.teambotConfig, 'teambot.json'],
    [builtinFiles.stages, 'stages.yaml'],
    [builtinFiles.stagesSchema, 'stages.schema.json'],
    ...personas.map((name): [string, string] => [join(builtinFiles.agentsDirectory, name), join('.github', 'agents', name)]),
    [builtinFiles.exampleObjective, join('objectives', 'example.md')],
  ];
}

/**
 * `teambot init`: writes a starting configuration. Without --force it checks
 * every destination first and writes nothing if any already exists.
 */
export async function initCommand(options: { cwd: string; force: boolean }, io: CommandIo): Promise<number> {
  const files = await scaffoldFiles();
  const existing = files.filter(([, destination]) => existsSync(join(options.cwd, destination)));
  if (existing.length > 0 && !options.force) {
    io.stderr.write([
      `teambot init: ${existing.length === 1 ? 'this file already exists' : 'these files already exist'}, nothing was written:`,
      ...existing.map(([, destination]) => `  ${destination}`),
      'fix: run `teambot init --force` to overwrite them, or init in another directory',
      '',
    ].join('\n'));
    return ExitCode.badInput;
  }

  for (const [source, destination] of files) {
    const target = join(options.cwd, destination);
    await mkdir(dirname(target), { recursive: true });
    await copyFile(source, target);
  }
  const overwritten = new Set(existing.map(([, destination]) => destination));
  io.stdout.write([
    ...files.map(([, destination]) => `${overwritten.has(destination) ? 'overwrote' : 'created  '} ${relative('.', destination)}`),
    '',
    'Next:',
    '  1. describe your feature in objectives/example.md (or a new file)',
    '  2. teambot validate --objective objectives/example.md',
    '  3. teambot run objectives/example.md',
    '',
  ].join('\n'));
  return ExitCode.ok;
}
