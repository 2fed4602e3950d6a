import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { detectTestCommand, TEST_COMMAND_FILES, type DetectedTestCommand, type ProjectFiles } from './testCommandDetection.js';

/**
 * The test command of the project in `root` (detectTestCommand over the files
 * there), for init to write and for preflight to suggest.
 */
export async function findProjectTestCommand(root: string): Promise<DetectedTestCommand | undefined> {
  return detectTestCommand(await readProjectFiles(root));
}

async function readProjectFiles(root: string): Promise<ProjectFiles> {
  const entries = await Promise.all(TEST_COMMAND_FILES.map(async (name) => {
    // Only regular files: reading a FIFO named package.json would wait forever.
    const path = join(root, name);
    const regular = await stat(path).then((found) => found.isFile(), () => false);
    const text = regular ? await readFile(path, 'utf8').catch(() => undefined) : undefined;
    return text === undefined ? [] : [[name, text] as const];
  }));
  return Object.fromEntries(entries.flat());
}
