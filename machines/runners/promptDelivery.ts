import { join, relative } from 'node:path';
import { makePrivateDirectory, writeFileAtomically } from '../persistence/safeFiles.js';

/**
 * Linux refuses a single argument over 128 KiB (MAX_ARG_STRLEN); stay well
 * below it so the rest of the argv and the environment fit too.
 */
export const MAX_PROMPT_ARGUMENT_BYTES = 100 * 1024;

/**
 * Writes a prompt to `<featureDir>/prompts/<stage>-<n>.md` (n counts this
 * stage's prompts; 0600, never through a symbolic link), returning its path
 * relative to the agent's working directory.
 */
export function writePromptFile(featureDir: string, cwd: string, stage: string, prompt: string, counter: Map<string, number>): string {
  const n = (counter.get(stage) ?? 0) + 1;
  counter.set(stage, n);
  const directory = join(featureDir, 'prompts');
  makePrivateDirectory(directory, featureDir);
  const path = join(directory, `${stage}-${n}.md`);
  writeFileAtomically(path, prompt, { root: featureDir, fsync: false });
  return relative(cwd, path) || path;
}

/** The short prompt that points the agent at the full one in a file. */
export function readPromptFileInstruction(path: string): string {
  return `Your full instructions for this task are in the file ${path}. Read that whole file first and follow it exactly.`;
}

/** The prompt as one argument, or, when too long for one, the instruction to read it from a file. */
export function promptArgument(prompt: string, writeFile: () => string): string {
  return Buffer.byteLength(prompt) <= MAX_PROMPT_ARGUMENT_BYTES ? prompt : readPromptFileInstruction(writeFile());
}
