import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The project a command works on: where teambot.json and the runs' directory are. */
export interface Project {
  /** The project's root directory: agents work here, `teambot_dir` is relative to it. */
  readonly root: string;
  /** What marked it (`teambot.json` or `.teambot`); undefined when nothing did and the working directory is used. */
  readonly marker?: 'teambot.json' | '.teambot';
}

/**
 * Finds the project the way git finds a repository: the nearest directory, from
 * `cwd` up, holding a teambot.json file or a .teambot directory. Without one,
 * the working directory is the project (the built-in team, runs under ./.teambot).
 *
 * @example findProject('/repo/src/deep') // { root: '/repo', marker: 'teambot.json' }
 */
export function findProject(cwd: string): Project {
  for (let directory = cwd; ; directory = dirname(directory)) {
    if (statSync(join(directory, 'teambot.json'), { throwIfNoEntry: false })?.isFile()) return { root: directory, marker: 'teambot.json' };
    if (statSync(join(directory, '.teambot'), { throwIfNoEntry: false })?.isDirectory()) return { root: directory, marker: '.teambot' };
    if (dirname(directory) === directory) return { root: cwd };
  }
}
