import { readFileSync } from 'node:fs';
import { builtinFiles } from '../config/builtinFiles.js';
import { type InputIssue } from './inputIssue.js';
import { parseJsonSource } from './jsonSource.js';
import { shownPath } from './shownPath.js';
import type { DataPath } from './sourceDocument.js';
import { snapshotDocument } from './stagesSnapshot.js';
import { parseYamlSource } from './yamlSource.js';

/** Which configuration file an issue is about: a loaded file's source (absolute, or `built-in`). */
export interface ConfigFile {
  readonly source: string;
  readonly kind: 'stages' | 'teambot';
}

/**
 * Places an issue found after loading (when positions are gone) at its line:
 * the file is read and parsed again, only for the issues there are (the built-in
 * stages.yaml is not: its positions come from the build, stagesSnapshot.ts).
 *
 * @example issueAt({ source: '/repo/stages.yaml', kind: 'stages' }, ['stages', 'ACCEPTANCE_TEST'], cwd, { rule, message, fix })
 */
export function issueAt(
  file: ConfigFile,
  path: DataPath,
  cwd: string,
  issue: Omit<InputIssue, 'file' | 'line' | 'column'>,
  options: { key?: boolean } = {},
): InputIssue {
  const builtin = file.source === 'built-in';
  const absolute = builtin ? (file.kind === 'stages' ? builtinFiles.stages : builtinFiles.teambotConfig) : file.source;
  const shown = builtin ? `built-in ${file.kind === 'stages' ? 'stages.yaml' : 'teambot.json'}` : shownPath(cwd, absolute);
  let position = { line: 0, column: 0 };
  try {
    const text = readFileSync(absolute, 'utf8');
    // The built-in workflow (or an unchanged copy of it) has its positions from the build.
    const document = file.kind === 'stages' ? snapshotDocument(shown, text) ?? parseYamlSource(shown, text) : parseJsonSource(shown, text);
    position = document.locate(path, options);
  } catch {
    // Changed or gone since it was loaded: the issue still names the file.
  }
  return { file: shown, ...position, ...issue };
}
