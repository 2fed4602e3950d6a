import { printedCommand } from './invocation.js';

/** One example in a command's --help: what it does, and the arguments after the invocation. */
interface Example {
  readonly what: string;
  readonly args: readonly string[];
  /** The shell line around the command, when it is used in one (a pipe, `source <(…)`). */
  readonly inShell?: (command: string) => string;
}

const OBJECTIVE = 'objectives/csv-export.md';

/** The examples each command's --help ends with, by command name. */
const EXAMPLES: Readonly<Record<string, readonly Example[]>> = {
  validate: [
    { what: 'check the project\'s stages.yaml and teambot.json, and what the runner needs here', args: ['validate'] },
    { what: 'also check an objective, and see its feature name', args: ['validate', '--objective', OBJECTIVE] },
    { what: 'check another workflow file for the simulated runner', args: ['validate', 'stages.yaml', '--runner', 'simulated'] },
    { what: 'the result as JSON, for a script or CI', args: ['validate', '--json'] },
  ],
  run: [
    { what: 'run the workflow for an objective', args: ['run', OBJECTIVE] },
    { what: 'a dry run with simulated agents', args: ['run', OBJECTIVE, '--runner', 'simulated'] },
    { what: 'skip an optional stage, and stop after 2 hours', args: ['run', OBJECTIVE, '--skip', 'BUSINESS_PROBLEM', '--max-hours', '2'] },
    { what: 'one line per event instead of the live view', args: ['run', OBJECTIVE, '--no-ui'] },
    { what: 'the events as JSON lines, for a script (the last one is run.completed)', args: ['run', OBJECTIVE, '--json'] },
    { what: 'start over although the feature has an unfinished run', args: ['run', OBJECTIVE, '--fresh'] },
  ],
  resume: [
    { what: 'resume the most recently updated run', args: ['resume'] },
    { what: 'resume the csv-export run, also re-running PLAN and everything after it', args: ['resume', 'csv-export', '--rerun', 'PLAN'] },
    { what: 'give a run that timed out 4 more hours (a new total limit of 12)', args: ['resume', 'csv-export', '--max-hours', '12'] },
    { what: 'print only errors and how it ended', args: ['resume', 'csv-export', '--quiet'] },
  ],
  status: [
    { what: 'the most recently updated run', args: ['status'] },
    { what: 'one run, as JSON', args: ['status', 'csv-export', '--json'] },
  ],
  clean: [
    { what: 'remove what every stopped run left (worktrees with unmerged changes kept)', args: ['clean'] },
    { what: 'one run, discarding the changes it did not merge', args: ['clean', 'csv-export', '--force'] },
  ],
  inspect: [
    { what: 'replay the most recently updated run in the browser', args: ['inspect'] },
    { what: 'one run, on a fixed port', args: ['inspect', 'csv-export', '--port', '4242'] },
  ],
  init: [
    { what: 'set up teambot in this directory, keeping files that exist', args: ['init'] },
    { what: 'write every file again', args: ['init', '--force'] },
  ],
  graph: [
    { what: 'the workflow as a Mermaid statechart', args: ['graph'] },
    { what: 'as an image, with Graphviz', args: ['graph', '--format', 'dot'], inShell: (command) => `${command} | dot -Tsvg > workflow.svg` },
    { what: 'as JSON, parallel groups run one after another', args: ['graph', '--format', 'json', '--sequential'] },
  ],
  schema: [
    { what: 'write the schema for your editor', args: ['schema'], inShell: (command) => `${command} > stages.schema.json` },
  ],
  notify: [
    { what: 'send one sample message to every channel of the project\'s notifications', args: ['notify', 'test'] },
    { what: 'with another team configuration', args: ['notify', 'test', '--config', 'teambot.json'] },
  ],
  completion: [
    { what: 'complete commands and options in this bash (add the line to ~/.bashrc for every one)', args: ['completion', 'bash'], inShell: sourced },
    { what: 'in zsh (in ~/.zshrc, after compinit)', args: ['completion', 'zsh'], inShell: sourced },
    { what: 'in fish (or save it as ~/.config/fish/completions/teambot.fish)', args: ['completion', 'fish'], inShell: (command) => `${command} | source` },
  ],
};

function sourced(command: string): string {
  return `source <(${command})`;
}

/**
 * The Examples section of a command's --help, each command spelled the way the user runs
 * teambot, so it works when pasted; empty for a command without examples.
 *
 * @example commandExamples('status', 'npx teambot')
 * // '\nExamples:\n  # the most recently updated run\n  $ npx teambot status\n…'
 */
export function commandExamples(command: string, invocation: string): string {
  const examples = EXAMPLES[command];
  if (!examples) return '';
  const lines = examples.flatMap(({ what, args, inShell = (command) => command }) => [
    `  # ${what}`,
    `  $ ${inShell(printedCommand(invocation, args))}`,
  ]);
  return `\nExamples:\n${lines.join('\n')}`;
}
