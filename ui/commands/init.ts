import { copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { builtinFiles } from '../../config/builtinFiles.js';
import { withAcceptanceTestCommand } from '../../loader/acceptanceCommandEdit.js';
import type { DetectedTestCommand } from '../../loader/testCommandDetection.js';
import { findProjectTestCommand } from '../../loader/projectTestCommand.js';
import { InputError, wholeFileIssue } from '../../loader/inputIssue.js';
import type { CommandIo } from '../commandIo.js';
import { ExitCode } from '../exitCodes.js';
import { printedCommand } from '../text/invocation.js';
import { terminalLine } from '../text/terminalText.js';
import { examineDestination, uniqueIssues, writabilityIssues } from './initDestinations.js';

/** What a run writes, which has no place in the project's history. */
const IGNORED_RUN_DIRECTORY = '.teambot/';
const STAGES_FILE = 'stages.yaml';
const GITIGNORE = '.gitignore';

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

/** .gitignore's text (it was found to be a file); one init may not read is a conflict like any other. */
async function readGitignore(cwd: string): Promise<string> {
  try {
    return await readFile(join(cwd, GITIGNORE), 'utf8');
  } catch (error) {
    throw new InputError([wholeFileIssue({
      file: GITIGNORE, rule: 'init-not-readable', message: `init adds ${IGNORED_RUN_DIRECTORY} to ${GITIGNORE}, but cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      fix: `make ${GITIGNORE} readable and writable for this user (chmod u+rw .gitignore)`,
    })]);
  }
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
 * and .gitignore learns to ignore the run directory. Every destination is
 * checked first: with any conflict, init refuses (exit 2) and writes nothing.
 */
export async function initCommand(options: { cwd: string; force: boolean }, io: CommandIo): Promise<number> {
  const { cwd, force } = options;
  const files = await scaffoldFiles();
  const stages = await stagesText(await findProjectTestCommand(cwd));

  // Look before writing: every problem at once, and nothing written when there is one.
  const found = await Promise.all([...files.map(([, destination]) => destination), GITIGNORE].map((destination) => examineDestination(cwd, destination)));
  const conflicts = uniqueIssues(found);
  if (conflicts.length > 0) throw new InputError(conflicts);
  const exists = (index: number) => found[index]!.state === 'file';
  const gitignoreExists = exists(files.length);
  const gitignore = gitignoreWithRunDirectory(gitignoreExists ? await readGitignore(cwd) : undefined);
  const writes = [
    ...files.map(([source, destination], index) => ({ source, destination, exists: exists(index) })).filter((file) => force || !file.exists),
    ...(gitignore === undefined ? [] : [{ source: undefined, destination: GITIGNORE, exists: gitignoreExists }]),
  ];
  const unwritable = await writabilityIssues(cwd, writes);
  if (unwritable.length > 0) throw new InputError(unwritable);

  const lines: string[] = [];
  for (const [index, [source, destination]] of files.entries()) {
    const target = join(cwd, destination);
    if (exists(index) && !force) {
      lines.push(`${'kept'.padEnd(9)} ${destination} (exists; --force overwrites)`);
      continue;
    }
    await mkdir(dirname(target), { recursive: true });
    // A symbolic link to a file stays a link: the file it leads to is overwritten, as cp does.
    if (destination === STAGES_FILE) await writeFile(target, stages.text);
    else await copyFile(source, target);
    lines.push(`${(exists(index) ? 'overwrote' : 'created').padEnd(9)} ${destination}`);
  }
  if (gitignore === undefined) {
    lines.push(`${'kept'.padEnd(9)} ${GITIGNORE} (already ignores ${IGNORED_RUN_DIRECTORY})`);
  } else {
    await writeFile(join(cwd, GITIGNORE), gitignore);
    lines.push(`${(gitignoreExists ? 'updated' : 'created').padEnd(9)} ${GITIGNORE} (ignores ${IGNORED_RUN_DIRECTORY}, where runs write)`);
  }
  const stagesWritten = writes.some((write) => write.destination === STAGES_FILE);
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
  ].map(terminalLine).join('\n')); // the test command comes from the project's files
  return ExitCode.ok;
}
