import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';

/** The environment variable that puts the runs somewhere else than teambot.json's `teambot_dir`, said when used. */
export const TEAMBOT_DIR_VARIABLE = 'TEAMBOT_DIR';

/**
 * Why a `teambot_dir` read from a configuration file may not be used, or
 * undefined when it is inside the project: a repository's teambot.json must not
 * make teambot write elsewhere (`/etc`, `../x`, or a symbolic link in the
 * project that leads out of it). Only the existing part of the path is
 * resolved; what teambot creates below it is created as directories.
 *
 * @example teambotDirProblem('/etc', '/repo') // 'is an absolute path'
 * @example teambotDirProblem('.teambot', '/repo') // undefined
 */
export function teambotDirProblem(teambotDir: string, projectRoot: string): string | undefined {
  if (isAbsolute(teambotDir) || /^[A-Za-z]:/.test(teambotDir) || teambotDir.startsWith('~')) return 'is an absolute path';
  const target = resolve(projectRoot, teambotDir);
  if (!inside(target, resolve(projectRoot))) return 'leads out of the project ("..")';
  let root: string;
  try {
    root = realpathSync(projectRoot);
  } catch {
    return undefined; // no project directory to escape from (validate of files elsewhere)
  }
  const real = realpathOfExisting(target);
  return inside(real, root) ? undefined : `leads out of the project through a symbolic link (to ${real})`;
}

/** The real path of `path`, resolving its nearest existing ancestor and keeping the rest as written. */
function realpathOfExisting(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : resolve(realpathOfExisting(parent), relative(parent, path));
  }
}

function inside(path: string, root: string): boolean {
  const rest = relative(root, path);
  return rest === '' || (!rest.startsWith('..') && !isAbsolute(rest));
}
