/** The files a project's test command is read from, as init looks for them in the project's root. */
export const TEST_COMMAND_FILES = [
  'package.json', 'Makefile', 'makefile', 'GNUmakefile', 'Cargo.toml', 'go.mod', 'pyproject.toml', 'pytest.ini', 'setup.cfg', 'tox.ini',
] as const;
export type TestCommandFile = (typeof TEST_COMMAND_FILES)[number];

/** What the files that exist contain; a file that does not exist is absent. */
export type ProjectFiles = Readonly<Partial<Record<TestCommandFile, string>>>;

/** A project's test command and the file it was found in. */
export interface DetectedTestCommand {
  readonly argv: readonly string[];
  readonly source: TestCommandFile;
}

// `npm init` writes this script; it fails on purpose, so it is no test command.
const NPM_PLACEHOLDER_TEST = /no test specified/;
// A rule for the `test` target, alone or among others (`test check: build`), but not `test := x`.
const MAKE_TEST_TARGET = /^(?:[^\s:#=]+[ \t]+)*test(?:[ \t]+[^\s:#=]+)*[ \t]*::?(?!=)/m;

function npmTest(packageJson: string | undefined): boolean {
  if (packageJson === undefined) return false;
  try {
    const test = (JSON.parse(packageJson) as { scripts?: { test?: unknown } } | null)?.scripts?.test;
    return typeof test === 'string' && test.trim() !== '' && !NPM_PLACEHOLDER_TEST.test(test);
  } catch {
    return false;
  }
}

/** pytest's own configuration file, or a section or dependency naming it in another. */
function pytestSource(files: ProjectFiles): TestCommandFile | undefined {
  if (files['pytest.ini'] !== undefined) return 'pytest.ini';
  if (files['pyproject.toml'] !== undefined && /\bpytest\b/.test(files['pyproject.toml'])) return 'pyproject.toml';
  if (files['setup.cfg'] !== undefined && /^\[tool:pytest\]/m.test(files['setup.cfg'])) return 'setup.cfg';
  if (files['tox.ini'] !== undefined && /^\[pytest\]/m.test(files['tox.ini'])) return 'tox.ini';
  return undefined;
}

/**
 * The command that runs a project's tests, read from the files of its root: package.json's
 * `test` script (not npm's placeholder), a Makefile's `test` target, Cargo.toml, go.mod, or
 * pytest's configuration, in that order; undefined when none says.
 *
 * @example detectTestCommand({ 'package.json': '{"scripts":{"test":"vitest run"}}' })
 * // { argv: ['npm', 'test'], source: 'package.json' }
 */
export function detectTestCommand(files: ProjectFiles): DetectedTestCommand | undefined {
  if (npmTest(files['package.json'])) return { argv: ['npm', 'test'], source: 'package.json' };
  for (const makefile of ['GNUmakefile', 'makefile', 'Makefile'] as const) {
    const text = files[makefile];
    if (text !== undefined && MAKE_TEST_TARGET.test(text)) return { argv: ['make', 'test'], source: makefile };
  }
  if (files['Cargo.toml'] !== undefined) return { argv: ['cargo', 'test'], source: 'Cargo.toml' };
  if (files['go.mod'] !== undefined) return { argv: ['go', 'test', './...'], source: 'go.mod' };
  const pytest = pytestSource(files);
  return pytest ? { argv: ['pytest'], source: pytest } : undefined;
}
