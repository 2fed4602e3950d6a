import { printedCommand } from './invocation.js';

/** What the overview says about teambot: its commands (one line each) and where its README is. */
export interface OverviewFacts {
  readonly version: string;
  readonly commands: readonly { readonly name: string; readonly summary: string }[];
  /** The README shipped in the package, absolute. */
  readonly readme: string;
  /** How the user runs teambot (`teambot`, `npx teambot`…). */
  readonly invocation: string;
}

const EXAMPLE_OBJECTIVE = 'objectives/example.md';

/**
 * What bare `teambot` prints: what it is, its commands, the quick start from an empty
 * directory to a run, and where the documentation is. Commands as the user runs teambot.
 *
 * @example overview({ version: '0.1.0', commands, readme: '/usr/lib/node_modules/teambot/README.md', invocation: 'teambot' })
 */
export function overview(facts: OverviewFacts): string {
  const command = (...args: string[]) => printedCommand(facts.invocation, args);
  const nameWidth = Math.max(...facts.commands.map(({ name }) => name.length));
  const steps: [string, string][] = [
    [command('init'), 'write teambot.json, stages.yaml and an example objective here'],
    [command('validate', '--objective', EXAMPLE_OBJECTIVE), `check them, once ${EXAMPLE_OBJECTIVE} describes your feature`],
    [command('run', EXAMPLE_OBJECTIVE, '--runner', 'simulated'), 'a dry run with simulated agents'],
    [command('run', EXAMPLE_OBJECTIVE), 'the real run'],
  ];
  const stepWidth = Math.max(...steps.map(([line]) => line.length));
  return [
    `teambot ${facts.version}: run a team of AI coding agents through a configurable delivery workflow.`,
    '',
    'Commands:',
    ...facts.commands.map(({ name, summary }) => `  ${name.padEnd(nameWidth)}  ${summary}`),
    '',
    'Quick start:',
    ...steps.map(([line, what], index) => `  ${index + 1}. ${line.padEnd(stepWidth)}  ${what}`),
    '',
    'Documentation:',
    `  ${facts.invocation} <command> --help   a command's options, with examples`,
    `  ${facts.readme}`,
    '',
  ].join('\n');
}
