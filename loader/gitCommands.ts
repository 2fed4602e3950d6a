/** Each git command gets this long; a stuck git (a lock, a hung filter) never holds a run forever. */
export const GIT_TIMEOUT_MS = 60_000;

/** Who teambot's own commits are by, so they work where no user.name/user.email is configured. */
const IDENTITY = {
  GIT_AUTHOR_NAME: 'teambot',
  GIT_AUTHOR_EMAIL: 'teambot@localhost',
  GIT_COMMITTER_NAME: 'teambot',
  GIT_COMMITTER_EMAIL: 'teambot@localhost',
} as const;

/**
 * Variables that point git at another repository, index or object store. One inherited from the
 * caller (teambot started from a git hook sets GIT_INDEX_FILE, for one) would make every command
 * below act on the wrong files, so none is passed on.
 */
const REDIRECTING = new Set([
  'GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR', 'GIT_NAMESPACE', 'GIT_PREFIX', 'GIT_QUARANTINE_PATH', 'GIT_REFLOG_ACTION',
]);

/** A git command that failed: what ran, its exit code and what git said, for a one-line report. */
export class GitError extends Error {
  override readonly name = 'GitError';
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | undefined,
    readonly stderr: string,
    message: string,
  ) {
    super(message);
  }
}

export interface GitRunOptions {
  /** Extra environment, e.g. `{ GIT_INDEX_FILE }` for a temporary index. */
  readonly env?: Readonly<Record<string, string>>;
  /** Bytes or text given to git's stdin (`git apply`). */
  readonly input?: string | Uint8Array;
  /** Exit codes that are answers, not failures (`merge-tree` says 1 for a conflict). */
  readonly okExitCodes?: readonly number[];
  readonly timeoutMs?: number;
}

export interface GitResult<Output> {
  readonly stdout: Output;
  readonly exitCode: number;
}

/**
 * Runs `git <args>` in `cwd`: argv only, no shell, no prompts, no optional locks (nothing
 * refreshes the user's index), hooks off (`core.hooksPath` points nowhere, so `worktree add`
 * never runs the user's post-checkout), and teambot's identity for commits. A failure throws
 * a GitError carrying git's stderr.
 *
 * @example (await runGit('/repo', ['rev-parse', 'HEAD'])).stdout // '3dde2cd…\n'
 */
export async function runGit(cwd: string, args: readonly string[], options: GitRunOptions = {}): Promise<GitResult<string>> {
  const result = await spawnGit(cwd, args, options, 'utf8');
  return { stdout: result.stdout as string, exitCode: result.exitCode };
}

/** runGit for output that may not be text (`git diff --binary`), as bytes. */
export async function runGitBytes(cwd: string, args: readonly string[], options: GitRunOptions = {}): Promise<GitResult<Uint8Array>> {
  const result = await spawnGit(cwd, args, options, 'buffer');
  return { stdout: result.stdout as Uint8Array, exitCode: result.exitCode };
}

/** git's answer as one trimmed line (a sha, a path). @example await gitLine('/repo', ['write-tree']) // '4b825dc…' */
export async function gitLine(cwd: string, args: readonly string[], options: GitRunOptions = {}): Promise<string> {
  return (await runGit(cwd, args, options)).stdout.trim();
}

async function spawnGit(cwd: string, args: readonly string[], options: GitRunOptions, encoding: 'utf8' | 'buffer') {
  // Loaded when git runs, not with whatever imports this module (start-up time, issue 17).
  const { execa } = await import('execa');
  const timeoutMs = options.timeoutMs ?? GIT_TIMEOUT_MS;
  const argv = ['-c', 'core.hooksPath=/dev/null', '-c', 'core.quotepath=off', ...args];
  const result = await execa('git', argv, {
    cwd,
    env: gitEnvironment(options.env ?? {}),
    extendEnv: false,
    encoding,
    timeout: timeoutMs,
    reject: false,
    stripFinalNewline: false,
    maxBuffer: 256 * 1024 * 1024,
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
  });
  const exitCode = result.exitCode;
  if (exitCode !== undefined && (exitCode === 0 || options.okExitCodes?.includes(exitCode)) && !result.timedOut) {
    return { stdout: result.stdout, exitCode };
  }
  const stderr = typeof result.stderr === 'string' ? result.stderr : new TextDecoder().decode(result.stderr);
  const code = (result as { code?: string }).code;
  const reason = code === 'ENOENT' ? 'git is not installed (not found on PATH)'
    : result.timedOut ? `it took longer than ${timeoutMs / 1000} s`
      : stderr.trim().split('\n')[0] || `exit code ${exitCode ?? 'unknown'}`;
  throw new GitError(args, exitCode, stderr, `git ${args[0] ?? ''} failed: ${reason}`);
}

/** The caller's environment without variables that redirect git, plus teambot's identity and quiet settings. */
function gitEnvironment(extra: Readonly<Record<string, string>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !REDIRECTING.has(key)) env[key] = value;
  }
  return { ...env, ...IDENTITY, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...extra };
}
