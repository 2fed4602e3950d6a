import { readFileSync } from 'node:fs';
import { builtinFiles } from '../config/builtinFiles.js';
import { type InputIssue } from './inputIssue.js';
import { parseJsonSource } from './jsonSource.js';
import { shownPath } from './shownPath.js';
import type { DataPath, SourceDocument } from './sourceDocument.js';
import { snapshotDocument } from './stagesSnapshot.js';

/** Which configuration file an issue is about: a loaded file's source (absolute, or `built-in`). */
export interface ConfigFile {
  readonly source: string;
  readonly kind: 'stages' | 'teambot';
}

/** The stages.yaml and teambot.json documents the configurations were validated from, by absolute path. */
const loadedDocuments = new Map<string, { readonly text: string; readonly document: SourceDocument }>();
/** A process validates a few configurations (tests: many, one after another): the latest are kept. */
const KEPT_DOCUMENTS = 8;

/**
 * Keeps the document a configuration file was validated from, so that issues found after loading
 * are placed in it rather than by parsing the file again (loadConfiguration calls this).
 */
export function rememberConfigDocument(path: string, text: string, document: SourceDocument): void {
  loadedDocuments.delete(path);
  loadedDocuments.set(path, { text, document });
  if (loadedDocuments.size > KEPT_DOCUMENTS) loadedDocuments.delete(loadedDocuments.keys().next().value!);
}

/**
 * Places an issue found after loading (when positions are gone) at its line: the file is read
 * again, and the issue located in the document it was validated from while its text is the same
 * (the built-in stages.yaml's positions come from the build, stagesSnapshot.ts; a teambot.json
 * is parsed again, which takes no YAML parser).
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
    const loaded = loadedDocuments.get(absolute);
    const document = loaded?.text === text ? loaded.document
      : file.kind === 'stages' ? snapshotDocument(shown, text) : parseJsonSource(shown, text);
    // A stages.yaml changed since it was validated: its issue is not placed in a text it was not found in.
    if (document) position = document.locate(path, options);
  } catch {
    // Gone since it was loaded: the issue still names the file.
  }
  return { file: shown, ...position, ...issue };
}
