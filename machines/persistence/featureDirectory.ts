import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runPathError } from './runDirectoryErrors.js';

/**
 * Creates a run's feature directory and its artifacts/ (idempotent). A file or
 * an unwritable directory in the way is an InputError naming it.
 *
 * @returns the artifacts directory
 */
export function createFeatureDirectory(featureDir: string, cwd?: string): string {
  const artifactsDir = join(featureDir, 'artifacts');
  try {
    mkdirSync(artifactsDir, { recursive: true });
  } catch (error) {
    throw runPathError(error, { path: artifactsDir, doing: 'create the run\'s artifacts directory', writes: true, cwd });
  }
  return artifactsDir;
}
