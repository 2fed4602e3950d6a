import { isAbsolute, relative } from 'node:path';

/**
 * A path as a person (or an agent) should read it: relative to the working
 * directory when inside it, absolute otherwise.
 *
 * @example shownPath('/repo', '/repo/.teambot/x/artifacts') // '.teambot/x/artifacts'
 * @example shownPath('/repo', '/tmp/elsewhere')             // '/tmp/elsewhere'
 */
export function shownPath(cwd: string, path: string): string {
  const inside = relative(cwd, path);
  if (inside === '') return '.';
  return inside.startsWith('..') || isAbsolute(inside) ? path : inside;
}
