import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { builtinFiles } from '../config/builtinFiles.js';
import { ExitCode } from './exitCodes.js';

// Commands are imported when they run, so `teambot --version` never loads yaml or zod.
const version = (JSON.parse(readFileSync(builtinFiles.packageJson, 'utf8')) as { version: string }).version;

const program = new Command('teambot')
  .description('Run a team of AI coding agents through a configurable delivery workflow.')
  .version(version, '-v, --version')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

program
  .command('validate')
  .description('check stages.yaml and teambot.json (and an objective) and print the workflow')
  .argument('[stages.yaml]', 'workflow file (default: teambot.json\'s stages_config, ./stages.yaml, or the built-in)')
  .option('-c, --config <teambot.json>', 'team configuration (default: ./teambot.json, or the built-in team)')
  .option('-o, --objective <file.md>', 'also show how this objective is read and its feature name')
  .option('--json', 'print the result as JSON')
  .action(async (stagesPath: string | undefined, options: { config?: string; objective?: string; json?: boolean }) => {
    const { validateCommand } = await import('./commands/validate.js');
    process.exitCode = await validateCommand({ cwd: process.cwd(), stagesPath, ...options });
  });

program
  .command('init')
  .description('write teambot.json, stages.yaml, agent personas and an example objective here')
  .option('-f, --force', 'overwrite files that already exist')
  .action(async (options: { force?: boolean }) => {
    const { initCommand } = await import('./commands/init.js');
    process.exitCode = await initCommand({ cwd: process.cwd(), force: options.force === true });
  });

program
  .command('schema')
  .description('print the JSON Schema of stages.yaml (for editor completion)')
  .addOption(new Option('--indent <n>', 'spaces of indentation').default('2'))
  .action(async (options: { indent: string }) => {
    const { schemaCommand } = await import('./commands/schema.js');
    process.exitCode = schemaCommand(Number(options.indent));
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = await exitCodeFor(error);
}

/** Maps anything thrown to an exit code: usage errors are 2, our own bugs print once, without a stack. */
async function exitCodeFor(error: unknown): Promise<number> {
  if (error instanceof CommanderError) {
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
  }
  const { InputError } = await import('../loader/inputIssue.js');
  if (error instanceof InputError) {
    const { renderIssues } = await import('./reportIssues.js');
    process.stderr.write(renderIssues(error.issues));
    return ExitCode.badInput;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`teambot: unexpected error: ${message}\n`);
  if (process.env.TEAMBOT_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  else process.stderr.write('(set TEAMBOT_DEBUG=1 for details, and please report it)\n');
  return ExitCode.unsuccessful;
}
