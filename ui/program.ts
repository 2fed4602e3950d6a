import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Argument, Command, CommanderError, Option } from 'commander';
import { builtinFiles } from '../config/builtinFiles.js';
import { findProject } from '../loader/projectRoot.js';
import { RUNNER_NAMES } from '../loader/runnerNames.js';
import { withProjectEnvFile, type CommandIo } from './commandIo.js';
import { MAX_INDENT, parseIndent, parseMaxHours } from './commands/flagValues.js';
import { ExitCode } from './exitCodes.js';
import { COMPLETION_SHELLS, type CompletionShell } from './commands/completion.js';
import { commandExamples } from './text/commandExamples.js';
import { renderError } from './text/reportIssues.js';
import { overview } from './text/overview.js';
import { terminalJson, terminalLine, terminalText } from './text/terminalText.js';
import { styleFor } from './text/terminalStyle.js';

// Commands are imported when they run, so `teambot --version` never loads yaml or zod.
const version = (JSON.parse(readFileSync(builtinFiles.packageJson, 'utf8')) as { version: string }).version;

/**
 * Runs one teambot command line (`argv` without node and the script) against
 * the given directory and streams, and returns its exit code; it never exits
 * the process. The CLI passes the real process; tests pass buffers.
 *
 * @example
 * process.exitCode = await runTeambot(['validate', '--json'], { cwd: process.cwd(), ...processIo() });
 */
export async function runTeambot(argv: readonly string[], context: CommandContext): Promise<number> {
  const { cwd, ...io } = context;
  let exitCode: number = ExitCode.ok;
  const program = defineProgram(cwd, io, (code) => {
    exitCode = code;
  });
  if (argv.length === 0) {
    io.stdout.write(programOverview(program, io));
    return ExitCode.ok;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return exitCodeFor(error, io, { json: wantsJson(argv) });
  }
}

/** Bare `teambot`: what it is, its commands one line each, the quick start, where the docs are. */
function programOverview(program: Command, io: CommandIo): string {
  return overview({
    version,
    commands: program.commands.map((command) => ({ name: command.name(), summary: command.summary() })),
    readme: join(builtinFiles.root, 'README.md'),
    invocation: io.invocation ?? 'teambot',
  });
}

/**
 * Whether the command line asks for JSON (`--json`, or graph's `--format json`): then its
 * errors are JSON on stdout too, usage errors included. Read from the words, since a usage
 * error stops commander before it has parsed the options.
 */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  const words = end === -1 ? argv : argv.slice(0, end);
  return words.some((word, index) => word === '--json' || word === '--format=json' || (word === '--format' && words[index + 1] === 'json'));
}

/** Where a command line runs: its working directory, streams and environment. */
export interface CommandContext extends CommandIo {
  readonly cwd: string;
}

/** The command tree, built anew for every command line (commander keeps parsed options on it). */
function defineProgram(cwd: string, io: CommandIo, exitWith: (code: number) => void): Command {
  /** The project, found from cwd like git finds a repository, said when it is not cwd itself. */
  const projectRoot = (): string => {
    const project = findProject(cwd);
    if (project.root !== cwd) io.stderr.write(`teambot: using the project at ${terminalLine(project.root)} (its ${project.marker})\n`);
    if (io.env.TEAMBOT_DIR) io.stderr.write(`teambot: runs are kept in ${terminalLine(resolve(cwd, io.env.TEAMBOT_DIR))} (TEAMBOT_DIR)\n`);
    return project.root;
  };
  const invocation = io.invocation ?? 'teambot';
  const program = new Command('teambot')
    .description('Run a team of AI coding agents through a configurable delivery workflow.')
    .version(version, '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    // Commander echoes arguments in its errors (an unknown option, a bad choice): they are the user's text.
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(terminalText(text)),
      outputError: (text) => io.stderr.write(renderError(terminalText(text), styleFor(io.stderr, io.env))),
    })
    .exitOverride()
    .option('--no-env-file', 'do not load the project\'s .env into the environment (commands and agents use it; set variables win)')
    .hook('preAction', async () => {
      // Every command, agents included, gets the .env TeamBot would load (GITHUB_TOKEN…).
      if (program.opts<{ envFile: boolean }>().envFile) io = await withProjectEnvFile(io, () => findProject(cwd).root);
    })
    .addHelpText('after', `\nRun \`${invocation} <command> --help\` for a command's options and examples, \`${invocation}\` alone for the quick start.`);
  // Commands are added through this, so every one gets its examples, spelled as the user runs teambot.
  const command = (name: string) => program.command(name).addHelpText('after', commandExamples(name, invocation));

  command('validate')
    .description('check stages.yaml, teambot.json, an objective and what the runner needs on this machine, and print the workflow')
    .summary('check the configuration, an objective and what the runner needs here')
    .argument('[stages.yaml]', 'workflow file (default: teambot.json\'s stages_config, ./stages.yaml, or the built-in)')
    .option('-c, --config <teambot.json>', 'team configuration (default: ./teambot.json, or the built-in team)')
    .option('-o, --objective <file.md>', 'also show how this objective is read and its feature name')
    .addOption(new Option('-r, --runner <runner>', 'check what this runner needs (default: teambot.json\'s runner, else copilot)').choices(RUNNER_NAMES))
    .option('--json', 'print the result as JSON')
    .action(async (stagesPath: string | undefined, options: { config?: string; objective?: string; json?: boolean; runner?: string }) => {
      const { validateCommand } = await import('./commands/validate.js');
      exitWith(await validateCommand({ cwd, projectRoot: projectRoot(), stagesPath, ...options }, io));
    });

  withRunOptions(command('run')
    .description('run the workflow for an objective, or resume a run')
    .summary('run the workflow for an objective')
    .argument('[objective.md]', 'the objective file (with --resume: overrides the one the state file names)')
    .option('--resume [feature-dir|state-file]', 'resume a run (default: the most recently updated one)')
    .option('--fresh', 'start over even if this feature has an unfinished run (its state is archived)'))
    .action(async (objective: string | undefined, options: RunCliOptions) => {
      const target = typeof options.resume === 'string' ? options.resume : undefined;
      exitWith(await runOrResume(objective, target, options, { cwd, projectRoot: projectRoot() }, io));
    });

  withRunOptions(command('resume')
    .description('resume a run: re-run only what did not complete (alias of run --resume)')
    .summary('resume a run: re-run only what did not complete')
    .argument('[feature-dir|state-file]', 'the run to resume (default: the most recently updated one)'))
    .action(async (target: string | undefined, options: RunCliOptions) => {
      exitWith(await runOrResume(undefined, target, { ...options, resume: true }, { cwd, projectRoot: projectRoot() }, io));
    });

  command('status')
    .description('show a run\'s state: stages, parallel groups, elapsed time, last error, how to resume')
    .summary("show a run's stages, time and how to resume it")
    .argument('[feature-dir|state-file]', 'the run (default: the most recently updated one)')
    .option('-c, --config <teambot.json>', 'team configuration (default: ./teambot.json, or the built-in team)')
    .option('-s, --stages <stages.yaml>', 'workflow the run used (default: as for run)')
    .option('--json', 'print the status as JSON')
    .action(async (target: string | undefined, options: { config?: string; stages?: string; json?: boolean }) => {
      const { statusCommand } = await import('./commands/status.js');
      exitWith(await statusCommand({ cwd, projectRoot: projectRoot(), target, ...options, json: options.json === true }, io));
    });

  command('inspect')
    .description('open the statechart inspector for a finished or interrupted run, with a replay of it')
    .summary('open the statechart inspector for a run, with a replay')
    .argument('[feature-dir|state-file]', 'the run (default: the most recently updated one)')
    .option('-c, --config <teambot.json>', 'team configuration (default: ./teambot.json, or the built-in team)')
    .option('-s, --stages <stages.yaml>', 'workflow the run used (default: as for run)')
    .addOption(new Option('--port <port>', 'port on 127.0.0.1, 1–65535 (default: a free one)'))
    .option('--open', 'open the page in your default browser')
    .action(async (target: string | undefined, options: { config?: string; stages?: string; port?: string; open?: boolean }) => {
      const { inspectCommand } = await import('./commands/inspect.js');
      exitWith(await inspectCommand({ cwd, projectRoot: projectRoot(), target, ...options }, io));
    });

  command('clean')
    .description('remove the git worktrees and private refs that groups with isolation: worktree left when a run stopped before merging them')
    .summary('remove the git worktrees a stopped run left')
    .argument('[feature]', 'the run\'s feature (default: every run of the project)')
    .option('-c, --config <teambot.json>', 'team configuration (default: ./teambot.json, or the built-in team)')
    .option('-s, --stages <stages.yaml>', 'workflow the runs used (default: as for run)')
    .option('-f, --force', 'also discard changes a stopped run has not merged yet')
    .action(async (feature: string | undefined, options: { config?: string; stages?: string; force?: boolean }) => {
      const { cleanCommand } = await import('./commands/clean.js');
      exitWith(await cleanCommand({ cwd, projectRoot: projectRoot(), feature, ...options, force: options.force === true }, io));
    });

  command('init')
    .description('write teambot.json, stages.yaml, agent personas and an example objective here')
    .summary('write teambot.json, stages.yaml and an example objective here')
    .option('-f, --force', 'overwrite files that already exist')
    .action(async (options: { force?: boolean }) => {
      const { initCommand } = await import('./commands/init.js');
      exitWith(await initCommand({ cwd, force: options.force === true }, io));
    });

  command('graph')
    .description('print the compiled workflow statechart, parallel regions included (mermaid, dot or json)')
    .summary('print the workflow statechart (mermaid, dot or json)')
    .addOption(new Option('--format <format>', 'output format').choices(['mermaid', 'dot', 'json']).default('mermaid'))
    .option('-s, --stages <stages.yaml>', 'workflow (default: teambot.json\'s stages_config, ./stages.yaml, or the built-in)')
    .option('-c, --config <teambot.json>', 'team configuration (default: ./teambot.json, or the built-in team)')
    .option('--sequential', 'show each parallel group\'s stages one after another, as run --sequential runs them')
    .action(async (options: { format: 'mermaid' | 'dot' | 'json'; stages?: string; config?: string; sequential?: boolean }) => {
      const { graphCommand } = await import('./commands/graph.js');
      exitWith(await graphCommand({ cwd, projectRoot: projectRoot(), ...options, sequential: options.sequential === true }, io));
    });

  command('schema')
    .description('print the JSON Schema of stages.yaml (for editor completion)')
    .summary('print the JSON Schema of stages.yaml')
    .addOption(new Option('--indent <n>', `spaces of indentation, 0–${MAX_INDENT}`).default(2).argParser(parseIndent))
    .action(async (options: { indent: number }) => {
      const { schemaCommand } = await import('./commands/schema.js');
      exitWith(schemaCommand(options.indent, io));
    });

  const notify = command('notify')
    .description('notifications (teambot.json "notifications": telegram, webhook and command channels)')
    .summary('send a test notification to every configured channel');
  notify.command('test')
    .description('send one sample message to every channel in teambot.json\'s "notifications" and say which delivered it (exit 0: all, 1: not all, 2: bad configuration)')
    .option('-c, --config <teambot.json>', 'team configuration (default: the project\'s teambot.json)')
    .action(async (options: { config?: string }) => {
      const { notifyTestCommand } = await import('./commands/notify.js');
      exitWith(await notifyTestCommand({ cwd, projectRoot: projectRoot(), ...options }, io));
    });

  command('completion')
    .description('print a completion script for your shell: commands, their options and option values')
    .summary('print a shell completion script (bash, zsh or fish)')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(COMPLETION_SHELLS))
    .action(async (shell: CompletionShell) => {
      const { completionCommand } = await import('./commands/completion.js');
      exitWith(completionCommand(shell, program, io));
    });
  return program;
}

type RunCliOptions = {
  config?: string; stages?: string; runner?: string; simulate?: string; maxHours?: number; skip: string[];
  sequential?: boolean; fresh?: boolean; resume?: string | boolean; rerun?: string; force?: boolean; ui?: boolean; inspect?: boolean; open?: boolean;
  json?: boolean; quiet?: boolean;
};

/** The options `run` and `resume` share. */
function withRunOptions(command: Command): Command {
  return command
    .option('-c, --config <teambot.json>', 'team configuration (default: ./teambot.json, or the built-in team)')
    .option('-s, --stages <stages.yaml>', 'workflow (default: teambot.json\'s stages_config, ./stages.yaml, or the built-in)')
    .addOption(new Option('-r, --runner <runner>', 'who does the work (default: teambot.json\'s runner, else copilot)').choices(RUNNER_NAMES))
    .option('--simulate <file>', 'simulation script for --runner simulated (durations, failures, verdicts)')
    .addOption(new Option('--max-hours <hours>', 'stop with status timeout after this long in total (default 8; resume: the saved limit)').argParser(parseMaxHours))
    .option('--skip <stage>', 'skip an optional stage (repeatable)', (stage: string, all: string[]) => [...all, stage], [] as string[])
    .option('--sequential', 'run each parallel group\'s stages one after another (for comparison)')
    .option('--rerun <stage>', 'with --resume: also re-run this completed stage and everything after it')
    .option('--force', 'with --resume: resume even though the stages configuration changed')
    .option('--no-ui', 'print one line per event instead of the live view (automatic when stdout is not a terminal)')
    .option('--json', 'print the events as JSON lines on stdout, nothing else there (the last is run.completed); errors as JSON too')
    .option('-q, --quiet', 'print nothing but errors and one final line: the status, and how to resume when not complete')
    .option('--inspect', 'serve the statechart inspector for this run on 127.0.0.1 (the printed address carries its access token; '
      + 'TEAMBOT_INSPECT_ALLOW_STATELY=1 also lets the Stately inspector at https://stately.ai connect)')
    .option('--open', 'with --inspect: open the inspector in your default browser');
}

/** `run` and `resume` both land here: a target or --resume resumes, else a new run starts. */
async function runOrResume(
  objective: string | undefined, target: string | undefined, options: RunCliOptions, where: { cwd: string; projectRoot: string }, io: CommandIo,
): Promise<number> {
  const flags = { ...where, ...options, skip: options.skip, sequential: options.sequential === true };
  if (target !== undefined || options.resume !== undefined) {
    if (options.fresh) throw await freshWithResume();
    const { resumeCommand } = await import('./commands/resume.js');
    return resumeCommand({ ...flags, target, objective, force: options.force === true }, io);
  }
  if (!objective) throw new CommanderError(2, 'teambot.missingObjective', "error: missing required argument 'objective.md' (or pass --resume)");
  if (options.rerun !== undefined || options.force) {
    throw new CommanderError(2, 'teambot.resumeOnly', 'error: --rerun and --force only apply with --resume');
  }
  const { runCommand } = await import('./commands/run.js');
  return runCommand({ ...flags, objective, fresh: options.fresh === true }, io);
}

/** --fresh starts over and --resume carries on: together they ask for both, so neither is guessed. */
async function freshWithResume(): Promise<Error> {
  const { InputError, wholeFileIssue } = await import('../loader/inputIssue.js');
  return new InputError([wholeFileIssue({
    file: 'command line', rule: 'fresh-with-resume',
    message: '--fresh starts the run over, --resume carries it on: they cannot be used together',
    fix: 'drop --fresh to resume the run, or drop --resume (and name the objective) to start over',
  })]);
}

/**
 * Maps anything thrown to an exit code: usage errors are 2, our own bugs print once, without a stack.
 * With --json, every error is also answered on stdout, in the shape `validate --json` uses
 * (`{ "valid": false, "errors": [InputIssue…] }`), so a script reads one shape from every command:
 * bad input, usage errors (rule `invalid-command-line`) and our own bugs (rule `unexpected-error`).
 * On a terminal, what goes to stderr is coloured and wrapped (styleFor).
 */
async function exitCodeFor(error: unknown, io: CommandIo, options: { json: boolean }): Promise<number> {
  const style = styleFor(io.stderr, io.env);
  const { InputError, wholeFileIssue } = await import('../loader/inputIssue.js');
  if (error instanceof CommanderError) {
    // Commander prints its own errors; ours (teambot.*) are printed here.
    if (error.code.startsWith('teambot.')) io.stderr.write(renderError(`${terminalText(error.message)}\n`, style));
    if (error.exitCode === 0) return ExitCode.ok;
    if (options.json) {
      writeJsonErrors(io, [wholeFileIssue({
        file: 'command line', rule: 'invalid-command-line', message: error.message.replace(/^error: /, ''), fix: 'run the command with --help for its usage',
      })]);
    }
    return ExitCode.badInput;
  }
  if (error instanceof InputError && options.json) {
    writeJsonErrors(io, error.issues);
    return ExitCode.badInput;
  }
  if (error instanceof InputError) {
    const { renderIssues } = await import('./text/reportIssues.js');
    io.stderr.write(renderIssues(error.issues, io.invocation, style));
    return ExitCode.badInput;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(renderError(`teambot: unexpected error: ${terminalText(message)}\n`, style));
  if (io.env.TEAMBOT_DEBUG && error instanceof Error) io.stderr.write(`${error.stack}\n`);
  else io.stderr.write('(set TEAMBOT_DEBUG=1 for details, and please report it)\n');
  if (options.json) {
    writeJsonErrors(io, [wholeFileIssue({
      file: 'teambot', rule: 'unexpected-error', message, fix: 'set TEAMBOT_DEBUG=1 for details, and please report it',
    })]);
  }
  return ExitCode.unsuccessful;
}

/** Bad input as JSON on stdout, the shape `validate --json` prints (see exitCodeFor). */
function writeJsonErrors(io: CommandIo, errors: readonly unknown[]): void {
  io.stdout.write(`${terminalJson({ valid: false, errors }, 2)}\n`);
}
