import { lstatSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LEGACY_BACKUP_NAME } from '../../loader/stateFile.js';
import { writeFileAtomically } from './safeFiles.js';

/**
 * Writes orchestration_state.json atomically (0600 temp file in the same
 * directory, fsync, rename), so the file is whole even if the process is
 * killed mid-write, and a failed write (disk full) leaves the last checkpoint
 * as it was. Writes are synchronous, hence serialized, and each one replaces
 * the last: the file always holds the latest checkpoint. A symbolic link in
 * its place is refused, never followed.
 *
 * @param legacyOriginal set when the state was migrated from a TeamBot file:
 *   before the first write that file is kept beside it as orchestration_state.v1.json.
 */
export function createStateWriter(path: string, options: { legacyOriginal?: string } = {}) {
  let backupPending = options.legacyOriginal !== undefined;
  const featureDir = dirname(path);
  return {
    path,
    write(state: object): void {
      const text = `${JSON.stringify(state, null, 2)}\n`;
      if (backupPending) {
        const backup = join(featureDir, LEGACY_BACKUP_NAME);
        if (!lstatSync(backup, { throwIfNoEntry: false })) writeFileAtomically(backup, readFileSync(options.legacyOriginal!, 'utf8'), { root: featureDir });
        backupPending = false;
      }
      writeFileAtomically(path, text, { root: featureDir });
    },
  };
}
