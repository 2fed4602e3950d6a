/**
 * One argument as a POSIX shell reads it back: bare when it holds only safe
 * characters, else single-quoted (a quote inside becomes '\'').
 *
 * @example shellQuote('objectives/csv export.md') // "'objectives/csv export.md'"
 */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** A command as a user would type it into a shell. @example showCommand(['npm', 'run', 'a b']) // "npm run 'a b'" */
export function showCommand(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
