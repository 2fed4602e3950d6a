import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { builtinFiles } from '../config/builtinFiles.js';
import { ExitCode } from './exitCodes.js';

// NO_COLOR (no-color.org) is not read by chalk, which colours Ink's output: translate it before
// anything loads chalk. Agent processes inherit it too.
if (process.env.NO_COLOR) process.env.FORCE_COLOR = '0';

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

type RunCliOptions = {
  config?: string; stages?: string; runner?: string; simulate?: string; maxHours?: number; skip: string[];
  sequential?: boolean; fresh?: boolean; resume?: string | boolean; rerun?: string; force?: boolean; ui?: boolean; inspect?: boolean;
};

/** The options `run` and `resume` share. */
function withRunOptions(command: Command): Command {
  return command
    .option('-c, --config <teambot.json>', 'team configuration (default: ./teambot.json, or the built-in team)')
    .option('-s, --stages <stages.yaml>', 'workflow (default: teambot.json\'s stages_config, ./stages.yaml, or the built-in)')
    .addOption(new Option('-r, --runner <runner>', 'who does the work (default: teambot.json\'s runner, else copilot)').choices(['copilot', 'command', 'simulated']))
    .option('--simulate <file>', 'simulation script for --runner simulated (durations, failures, verdicts)')
    .addOption(new Option('--max-hours <hours>', 'stop with status timeout after this long in total (default 8; resume: the saved limit)').argParser(Number))
    .option('--skip <stage>', 'skip an optional stage (repeatable)', (stage: string, all: string[]) => [...all, stage], [] as string[])
    .option('--sequential', 'run each parallel group\'s stages one after another (for comparison)')
    .option('--rerun <stage>', 'with --resume: also re-run this completed stage and everything after it')
    .option('--force', 'with --resume: resume even though the stages configuration changed')
    .option('--no-ui', 'print one line per event instead of the live view (automatic when stdout is not a terminal)')
    .option('--inspect', 'serve the statechart inspector for this run on 127.0.0.1 (the address is printed)');
}

async function runOrResume(objective: string | undefined, target: string | undefined, options: RunCliOptions): Promise<number> {
  const flags = { cwd: process.cwd(), ...options, skip: options.skip, sequential: options.sequential === true };
  if (target !== undefined || options.resume !== undefined) {
    const { resumeCommand } = await import('./commands/resume.js');
    return resumeCommand({ ...flags, target, objective, force: options.force === true });
  }
  if (!objective) throw new CommanderError(2, 'teambot.missingObjective', "error: missing required argument 'objective.md' (or pass --resume)");
  if (options.rerun !== undefined || options.force) {
    throw new CommanderError(2, 'teambot.resumeOnly', 'error: --rerun and --force only apply with --resume');
  }
  const { runCommand } = await import('./commands/run.js');
  return runCommand({ ...flags, objective, fresh: options.fresh === true });
}

withRunOptions(program
  .command('run')
  .description('run the workflow for an objective, or resume a run')
  .argument('[objective.md]', 'the objective file (with --resume: overrides the one the state file names)')
  .option('--resume [feature-dir|state-file]', 'resume a run (default: the most recently updated one)')
  .option('--fresh', 'start over even if this feature has an unfinished run (its state is archived)'))
  .action(async (objective: string | undefined, options: RunCliOptions) => {
    const target = typeof options.resume === 'string' ? options.resume : undefined;
    process.exitCode = await runOrResume(objective, target, options);
  });

withRunOptions(program
  .command('resume')
  .description('resume a run: re-run only what did not complete (alias of run --resume)')
  .argument('[feature-dir|state-file]', 'the run to resume (default: the most recently updated one)'))
  .action(async (target: string | undefined, options: RunCliOptions) => {
    process.exitCode = await runOrResume(undefined, target, { ...options, resume: true });
  });

program
  .command('status')
  .description('show a run\'s state: stages, parallel groups, elapsed time, last error, how to resume')
  .argument('[feature-dir|state-file]', 'the run (default: the most recently updated one)')
  .option('-c, --config <teambot.json>', 'team configuration (default: ./teambot.json, or the built-in team)')
  .option('-s, --stages <stages.yaml>', 'workflow the run used (default: as for run)')
  .option('--json', 'print the status as JSON')
  .action(async (target: string | undefined, options: { config?: string; stages?: string; json?: boolean }) => {
    const { statusCommand } = await import('./commands/status.js');
    process.exitCode = await statusCommand({ cwd: process.cwd(), target, ...options, json: options.json === true });
  });

program
  .command('inspect')
  .description('open the statechart inspector for a finished or interrupted run, with a replay of it')
  .argument('[feature-dir|state-file]', 'the run (default: the most recently updated one)')
  .option('-c, --config <teambot.json>', 'team configuration (default: ./teambot.json, or the built-in team)')
  .option('-s, --stages <stages.yaml>', 'workflow the run used (default: as for run)')
  .addOption(new Option('--port <port>', 'port on 127.0.0.1 (default: a free one)').argParser(Number))
  .action(async (target: string | undefined, options: { config?: string; stages?: string; port?: number }) => {
    const { inspectCommand } = await import('./commands/inspect.js');
    process.exitCode = await inspectCommand({ cwd: process.cwd(), target, ...options });
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
  .command('graph')
  .description('print the compiled workflow statechart, parallel regions included (mermaid, dot or json)')
  .addOption(new Option('--format <format>', 'output format').choices(['mermaid', 'dot', 'json']).default('mermaid'))
  .option('-s, --stages <stages.yaml>', 'workflow (default: teambot.json\'s stages_config, ./stages.yaml, or the built-in)')
  .option('-c, --config <teambot.json>', 'team configuration (default: ./teambot.json, or the built-in team)')
  .option('--sequential', 'show each parallel group\'s stages one after another, as run --sequential runs them')
  .action(async (options: { format: 'mermaid' | 'dot' | 'json'; stages?: string; config?: string; sequential?: boolean }) => {
    const { graphCommand } = await import('./commands/graph.js');
    process.exitCode = await graphCommand({ cwd: process.cwd(), ...options, sequential: options.sequential === true });
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
    // Commander prints its own errors; ours (teambot.*) are printed here.
    if (error.code.startsWith('teambot.')) process.stderr.write(`${error.message}\n`);
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
