import { copyFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { LEGACY_BACKUP_NAME } from '../../loader/stateFile.js';

/**
 * Writes orchestration_state.json atomically (temp file in the same directory,
 * fsync, rename: write-file-atomic), so the file is whole even if the process
 * is killed mid-write. Writes are synchronous, hence serialized, and each one
 * replaces the last: the file always holds the latest checkpoint.
 *
 * @param legacyOriginal set when the state was migrated from a TeamBot file:
 *   before the first write that file is kept beside it as orchestration_state.v1.json.
 */
export function createStateWriter(path: string, options: { legacyOriginal?: string } = {}) {
  let backupPending = options.legacyOriginal !== undefined;
  return {
    path,
    write(state: object): void {
      const text = `${JSON.stringify(state, null, 2)}\n`;
      if (backupPending) {
        const backup = join(dirname(path), LEGACY_BACKUP_NAME);
        if (!existsSync(backup)) copyFileSync(options.legacyOriginal!, backup);
        backupPending = false;
      }
      writeFileAtomic.sync(path, text);
    },
  };
}
