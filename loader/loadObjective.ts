import { describeFileError } from './fileProblems.js';
import { InputError, sortIssues, wholeFileIssue } from './inputIssue.js';
import { parseObjective, type Objective } from './objective.js';
import { objectiveIssues } from './objectiveRules.js';
import { notAFileIssue, readInputFile } from './readInputFile.js';
import { decodeUtf8 } from './sourceDocument.js';
import { loadTransliteration } from './featureName.js';

/** Objective files are prose; anything bigger is almost certainly the wrong file. */
const MAX_OBJECTIVE_BYTES = 1024 * 1024;

function fileIssue(path: string, rule: string, message: string, fix: string): InputError {
  return new InputError([wholeFileIssue({ file: path, rule, message, fix })]);
}

/** Where the objective's path came from, when a missing file is fixed somewhere else than on the command line. */
export interface ObjectiveSource {
  /** The fix for `objective-not-found` (default: check the path, relative to where teambot was run). */
  readonly missingFix?: string;
}

/**
 * Reads and parses an objective markdown file. Throws {@link InputError} when the file is
 * missing (`objective-not-found`), is not text (`objective-not-text`) or is over 1 MiB
 * (`objective-too-large`), a pipe or device (`not-a-file`) or unreadable (`unreadable`); and, with every such problem at once,
 * when running it would waste a paid run: it is empty, has no title or no goals, or still holds
 * the template's placeholders (see objectiveRules.ts).
 *
 * @example
 * const objective = await loadObjectiveFile('docs/objectives/dark-mode.md');
 * objective.featureName // 'dark-mode'
 */
export async function loadObjectiveFile(path: string, options: ObjectiveSource = {}): Promise<Objective> {
  const read = await readInputFile(path, MAX_OBJECTIVE_BYTES);
  if (read.kind === 'missing') {
    throw fileIssue(path, 'objective-not-found', 'objective file not found',
      options.missingFix ?? 'check the path (a relative path is resolved from the directory you ran teambot in)');
  }
  if (read.kind === 'directory') {
    throw fileIssue(path, 'unreadable', 'is a directory, not an objective file',
      'pass the path of the objective markdown file inside it');
  }
  if (read.kind === 'not-a-file') throw new InputError([notAFileIssue(path, read.what, 'pass the objective markdown file itself')]);
  if (read.kind === 'unreadable') {
    throw fileIssue(path, 'unreadable', `cannot read the objective file: ${describeFileError(read.code)}`, 'check the file\'s permissions');
  }
  // Only the limit + 1 bytes were read: a huge file (or an endless one) is never loaded into memory.
  if (read.tooLarge) {
    throw fileIssue(path, 'objective-too-large', `objective file is ${read.size} bytes, over the 1 MiB limit`,
      'point teambot at the objective markdown file; move long material into linked documents');
  }
  const bytes = read.bytes;
  // NUL never appears in UTF-8 text; it does in binaries and in UTF-16 files.
  if (bytes.includes(0)) {
    throw fileIssue(path, 'objective-not-text', 'objective file is not UTF-8 text (it contains NUL bytes)',
      'save the objective as a UTF-8 markdown file');
  }
  const decoded = decodeUtf8(path, bytes);
  if ('issue' in decoded) throw new InputError([decoded.issue]);
  // The feature name may need transliteration: loaded here, asynchronously, on any Node 20.
  await loadTransliteration(`${decoded.text}\n${path}`);
  const objective = parseObjective(decoded.text, path);
  const issues = objectiveIssues(decoded.text, objective, path);
  if (issues.length > 0) throw new InputError(sortIssues(issues));
  return objective;
}
