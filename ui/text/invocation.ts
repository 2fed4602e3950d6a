import { existsSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { shellQuote } from '../../loader/shellWords.js';
import { shownPath } from '../../loader/shownPath.js';

/**
 * How the user can run this teambot again from where they are, so every
 * command teambot prints works when pasted: `teambot` when that name on PATH
 * is this very script, `npx teambot` when the project (or a parent) has it in
 * node_modules, else `node <path to the script>`.
 *
 * @example invocationOf('/repo/node_modules/teambot/dist/cli.js', { cwd: '/repo', env }) // 'npx teambot'
 */
export function invocationOf(script: string, context: { cwd: string; env: Readonly<Record<string, string | undefined>> }): string {
  const self = realPath(script);
  if (self === undefined) return 'teambot';
  // The first `teambot` on PATH is what the shell runs; it is ours if it resolves to this script.
  const onPath = (context.env.PATH ?? '').split(delimiter).filter(Boolean).map((directory) => join(directory, 'teambot'))
    .find((candidate) => existsSync(candidate));
  if (onPath && realPath(onPath) === self) return 'teambot';
  for (let directory = context.cwd; ; directory = dirname(directory)) {
    if (realPath(join(directory, 'node_modules', '.bin', 'teambot')) === self) return 'npx teambot';
    if (dirname(directory) === directory) break;
  }
  return `node ${shellQuote(shownPath(context.cwd, self))}`;
}

/** A command line for the user to paste: the invocation, then each argument quoted for a shell. */
export function printedCommand(invocation: string, args: readonly string[]): string {
  return [invocation, ...args.map(shellQuote)].join(' ');
}

/**
 * Commands inside issue fixes are written `teambot …` in backquotes; shown to
 * the user they start the way the user runs teambot.
 */
export function withInvocation(text: string, invocation: string): string {
  return invocation === 'teambot' ? text : text.replace(/`teambot(?= |`)/g, `\`${invocation}`);
}

function realPath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
