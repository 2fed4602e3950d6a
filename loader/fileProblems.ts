/**
 * Words for the errors the file system gives (Node's `code`), so a message says
 * what is wrong with a path instead of quoting errno: "permission denied", not
 * "EACCES: permission denied, open '…'".
 *
 * @example describeFileError('EACCES') // 'permission denied (EACCES)'
 */
export function describeFileError(code: string | undefined): string {
  if (!code) return 'an unknown file system error';
  const words = WORDS[code];
  return words ? `${words} (${code})` : `the file system refused (${code})`;
}

const WORDS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted here',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'this is a directory, not a file',
  ERR_FS_EISDIR: 'this is a directory, not a file',
  EEXIST: 'something is already there',
  ENOENT: 'it does not exist',
  ELOOP: 'too many symbolic links (a link loop?)',
  ENAMETOOLONG: 'the path is too long',
  EMFILE: 'too many files are open',
  ENFILE: 'too many files are open on the system',
  EIO: 'an input/output error',
  EBUSY: 'the file is busy',
  EXDEV: 'it is on another file system',
};

/** The `code` of a Node file system error; undefined for anything else (a bug, not a file problem). */
export function fileErrorCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && (/^E[A-Z]+$/.test(code) || code === 'ERR_FS_EISDIR') ? code : undefined;
}
