import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { builtinFiles } from '../../config/builtinFiles.js';
import { withAcceptanceTestCommand } from '../../loader/acceptanceCommandEdit.js';
import { detectTestCommand, TEST_COMMAND_FILES, type DetectedTestCommand, type ProjectFiles } from '../../loader/testCommandDetection.js';
import type { CommandIo } from '../commandIo.js';
import { ExitCode } from '../exitCodes.js';
import { printedCommand } from '../text/invocation.js';

/** What a run writes, which has no place in the project's history. */
const IGNORED_RUN_DIRECTORY = '.teambot/';
const STAGES_FILE = 'stages.yaml';

/** Where init writes the objective template, relative to the project. */
const EXAMPLE_OBJECTIVE = 'objectives/example.md';

/** Source in the package → destination relative to the user's directory. */
async function scaffoldFiles(): Promise<[source: string, destination: string][]> {
  const personas = (await readdir(builtinFiles.agentsDirectory)).filter((name) => name.endsWith('.agent.md')).sort();
  return [
    [builtinFiles.teambotConfig, 'teambot.json'],
    [builtinFiles.stages, STAGES_FILE],
    [builtinFiles.stagesSchema, 'stages.schema.json'],
    ...personas.map((name): [string, string] => [join(builtinFiles.agentsDirectory, name), join('.github', 'agents', name)]),
    [builtinFiles.exampleObjective, EXAMPLE_OBJECTIVE],
  ];
}

/** The files of the project's root a test command can be read from, those that exist. */
async function readProjectFiles(cwd: string): Promise<ProjectFiles> {
  const entries = await Promise.all(TEST_COMMAND_FILES.map(async (name) => {
    const text = await readFile(join(cwd, name), 'utf8').catch(() => undefined);
    return text === undefined ? [] : [[name, text] as const];
  }));
  return Object.fromEntries(entries.flat());
}

/**
 * .gitignore's new text with the run directory ignored, or undefined when it already is.
 *
 * @example gitignoreWithRunDirectory('node_modules') // 'node_modules\n.teambot/\n'
 */
function gitignoreWithRunDirectory(current: string | undefined): string | undefined {
  const ignored = (current ?? '').split(/\r?\n/).some((line) => /^\/?\.teambot\/?$/.test(line.trim()));
  if (ignored) return undefined;
  const text = current ?? '';
  const separator = text === '' || text.endsWith('\n') ? '' : '\n';
  return `${text}${separator}${IGNORED_RUN_DIRECTORY}\n`;
}

/** Adds the run directory to .gitignore, keeping what it holds; the line init prints about it. */
async function ignoreRunDirectory(cwd: string): Promise<string> {
  const path = join(cwd, '.gitignore');
  const current = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  const updated = gitignoreWithRunDirectory(current);
  if (updated === undefined) return `${'kept'.padEnd(9)} .gitignore (already ignores ${IGNORED_RUN_DIRECTORY})`;
  await writeFile(path, updated);
  return `${(current === undefined ? 'created' : 'updated').padEnd(9)} .gitignore (ignores ${IGNORED_RUN_DIRECTORY}, where runs write)`;
}

/** The built-in stages.yaml, with the project's test command as the acceptance command when one was found. */
async function stagesText(detected: DetectedTestCommand | undefined): Promise<{ text: string; acceptance: string }> {
  const text = await readFile(builtinFiles.stages, 'utf8');
  const edit = detected && withAcceptanceTestCommand(text, detected.argv, `found by teambot init in ${detected.source}`);
  if (detected && edit) return { text: edit.text, acceptance: `acceptance tests: ${detected.argv.join(' ')} (from ${detected.source})` };
  return {
    text,
    acceptance: 'acceptance tests: no test command found (no package.json test script, Makefile test target, Cargo.toml, go.mod or pytest '
      + `configuration); set the one your project uses in ${STAGES_FILE}'s acceptance stage, e.g. \`acceptance_test_command: [npm, test]\``,
  };
}

/**
 * `teambot init`: writes a starting configuration. Files that exist are kept
 * (--force overwrites them), so init can be run again to add what is missing.
 * The acceptance stage gets the project's test command when init can tell it,
 * and .gitignore learns to ignore the run directory.
 */
export async function initCommand(options: { cwd: string; force: boolean }, io: CommandIo): Promise<number> {
  const files = await scaffoldFiles();
  const stages = await stagesText(detectTestCommand(await readProjectFiles(options.cwd)));
  const lines: string[] = [];
  let stagesWritten = false;
  for (const [source, destination] of files) {
    const target = join(options.cwd, destination);
    const exists = existsSync(target);
    if (exists && !options.force) {
      lines.push(`${'kept'.padEnd(9)} ${destination} (exists; --force overwrites)`);
      continue;
    }
    await mkdir(dirname(target), { recursive: true });
    if (destination === STAGES_FILE) {
      await writeFile(target, stages.text);
      stagesWritten = true;
    } else {
      await copyFile(source, target);
    }
    lines.push(`${(exists ? 'overwrote' : 'created').padEnd(9)} ${destination}`);
  }
  lines.push(await ignoreRunDirectory(options.cwd));
  const command = (args: readonly string[]) => printedCommand(io.invocation ?? 'teambot', args);
  io.stdout.write([
    ...lines,
    '',
    stagesWritten ? stages.acceptance : `acceptance tests: ${STAGES_FILE} was kept, its acceptance_test_command as it is`,
    '',
    'Next:',
    `  1. describe your feature in ${EXAMPLE_OBJECTIVE} (or a new file): replace every <…> placeholder`,
    `  2. ${command(['validate', '--objective', EXAMPLE_OBJECTIVE])}    checks all a run with real agents needs`,
    `  3. ${command(['run', EXAMPLE_OBJECTIVE, '--runner', 'simulated'])}    a dry run with simulated agents`,
    `  4. ${command(['run', EXAMPLE_OBJECTIVE])}`,
    '',
  ].join('\n'));
  return ExitCode.ok;
}
