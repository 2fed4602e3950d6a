import { accessSync, constants, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import which from 'which';

/** Where a command's program was looked for, and whether it is there. */
export type ExecutableLookup =
  | { readonly found: true; readonly path: string }
  | { readonly found: false; readonly via: 'PATH' | 'path'; readonly path: string };

/**
 * Finds the program an argv starts with, the way spawning it without a shell
 * would: a name with a slash is a path (relative to `cwd`), anything else is
 * looked up on the PATH of `env`.
 *
 * @example findExecutable('npm', { cwd, env: process.env }) // { found: true, path: '/usr/bin/npm' }
 */
export async function findExecutable(program: string, options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<ExecutableLookup> {
  if (program.includes('/') || program.includes('\\')) {
    const path = isAbsolute(program) ? program : resolve(options.cwd, program);
    return isExecutableFile(path) ? { found: true, path } : { found: false, via: 'path', path };
  }
  const onPath = await which(program, { nothrow: true, path: options.env.PATH ?? '' });
  return onPath ? { found: true, path: onPath } : { found: false, via: 'PATH', path: program };
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
