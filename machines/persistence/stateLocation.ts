import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError, wholeFileIssue } from '../../loader/inputIssue.js';
import { STATE_FILE_NAME } from '../../loader/stateFile.js';

/**
 * The state file a command is pointed at: a feature directory, a state file, or
 * (no target) the most recently updated run under teambot_dir.
 *
 * @throws InputError `state-not-found`
 */
export function locateStateFile(cwd: string, teambotDir: string, target?: string): string {
  if (target) {
    const path = resolve(cwd, target);
    const file = existsSync(path) && statSync(path).isDirectory() ? join(path, STATE_FILE_NAME) : path;
    if (existsSync(file)) return file;
    throw notFound(file, existsSync(path)
      ? 'this feature directory has no orchestration_state.json'
      : 'no such file or directory');
  }
  const root = resolve(cwd, teambotDir);
  const candidates = (existsSync(root) ? readdirSync(root, { withFileTypes: true }) : [])
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(root, entry.name, STATE_FILE_NAME))
    .filter((file) => existsSync(file))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (candidates[0]) return candidates[0];
  throw notFound(root, `no run found under ${teambotDir}/`);
}

function notFound(file: string, message: string): InputError {
  return new InputError([wholeFileIssue({
    file, rule: 'state-not-found', message,
    fix: 'name the feature directory (.teambot/<feature>) or its orchestration_state.json, or start a run with `teambot run <objective.md>`',
  })]);
}
