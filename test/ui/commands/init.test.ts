import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { withDeadline } from '../../support/processes.js';
import { cliPath, repoRoot, runCliInProcess, temporaryDirectory } from '../../support/runCli.js';

const expectedFiles = [
  'teambot.json', 'stages.yaml', 'stages.schema.json', 'objectives/example.md',
  ...['ba', 'builder-1', 'builder-2', 'pm', 'reviewer', 'writer'].map((id) => `.github/agents/${id}.agent.md`),
];
const builtinStages = readFileSync(join(repoRoot, 'config', 'stages.yaml'), 'utf8');

const acceptanceCommand = (directory: string) =>
  (parse(readFileSync(join(directory, 'stages.yaml'), 'utf8')) as { stages: { ACCEPTANCE_TEST: { acceptance_test_command?: string[] } } })
    .stages.ACCEPTANCE_TEST.acceptance_test_command;

/**
 * An environment whose PATH also holds a `copilot` that does nothing, so validate's checks of
 * what a real run needs on this machine pass without the real agent CLI installed.
 */
function withFakeCopilot(): Record<string, string> {
  const bin = temporaryDirectory();
  writeFileSync(join(bin, 'copilot'), '#!/bin/sh\nexit 0\n');
  chmodSync(join(bin, 'copilot'), 0o755);
  return { PATH: `${bin}:${process.env.PATH ?? ''}` };
}

describe('teambot init', () => {
  it('writes every file into an empty directory, and a .gitignore that ignores .teambot/', async () => {
    const directory = temporaryDirectory();
    const result = await runCliInProcess(['init'], { cwd: directory });
    expect(result.exitCode).toBe(0);
    for (const file of expectedFiles) {
      expect(existsSync(join(directory, file)), file).toBe(true);
      expect(result.stdout).toContain(`created   ${join(file)}`);
    }
    expect(readFileSync(join(directory, '.gitignore'), 'utf8')).toBe('.teambot/\n');
    expect(result.stdout).toMatch(/^created +\.gitignore/m);
    expect(result.stdout).toMatch(/^ {2}2\. teambot validate --objective objectives\/example\.md {4}checks all a run with real agents needs$/m);
    expect(result.stdout).toMatch(/^ {2}3\. teambot run objectives\/example\.md --runner simulated {4}a dry run with simulated agents$/m);
    expect(result.stdout).toMatch(/^ {2}4\. teambot run objectives\/example\.md$/m);
  });

  it('with no test command to find, writes the built-in stages.yaml unchanged and says what to add', async () => {
    const directory = temporaryDirectory();
    writeFileSync(join(directory, 'package.json'), JSON.stringify({ name: 'x', scripts: { test: 'echo "Error: no test specified" && exit 1' } }));
    const result = await runCliInProcess(['init'], { cwd: directory });
    expect(result.exitCode).toBe(0);
    expect(readFileSync(join(directory, 'stages.yaml'), 'utf8')).toBe(builtinStages);
    expect(result.stdout).toMatch(/acceptance tests: no test command found .*`acceptance_test_command: \[npm, test\]`/);
  });

  it('fills the acceptance command from package.json\'s test script, keeping every comment, and the result validates', async () => {
    const directory = temporaryDirectory();
    writeFileSync(join(directory, 'package.json'), JSON.stringify({ name: 'x', scripts: { test: 'vitest run' } }));
    const result = await runCliInProcess(['init'], { cwd: directory });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('acceptance tests: npm test (from package.json)');
    expect(acceptanceCommand(directory)).toEqual(['npm', 'test']);
    const written = readFileSync(join(directory, 'stages.yaml'), 'utf8').split('\n');
    const builtin = builtinStages.split('\n');
    expect(written).toHaveLength(builtin.length);
    expect(written.filter((line, index) => line !== builtin[index])).toEqual([
      '    acceptance_test_command: [npm, test]   # found by teambot init in package.json; teambot runs this argv (no shell) to decide the results',
    ]);

    const validation = await runCliInProcess(['validate'], { cwd: directory, env: withFakeCopilot() });
    expect(validation.exitCode).toBe(0);
    expect(validation.stdout).toMatch(/^✓ stages\.yaml: 14 stages/m);
    expect(validation.stdout).toMatch(/teambot\.json: 6 agents, every stage's agents defined and allowed/);
  });

  it('fills a go project\'s command, quoting what YAML would misread', async () => {
    const directory = temporaryDirectory();
    writeFileSync(join(directory, 'go.mod'), 'module example.com/x\n\ngo 1.22\n');
    const result = await runCliInProcess(['init'], { cwd: directory });
    expect(result.stdout).toContain('acceptance tests: go test ./... (from go.mod)');
    expect(acceptanceCommand(directory)).toEqual(['go', 'test', './...']);
  });

  it('keeps the files that exist, writes the missing ones, and says which it kept (exit 0)', async () => {
    const directory = temporaryDirectory();
    writeFileSync(join(directory, 'stages.yaml'), 'my own workflow\n');
    writeFileSync(join(directory, 'package.json'), JSON.stringify({ scripts: { test: 'jest' } }));
    const result = await runCliInProcess(['init'], { cwd: directory });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^kept +stages\.yaml \(exists; --force overwrites\)$/m);
    expect(result.stdout).toMatch(/^created +teambot\.json$/m);
    expect(result.stdout).toMatch(/acceptance tests: stages\.yaml was kept/);
    expect(readFileSync(join(directory, 'stages.yaml'), 'utf8')).toBe('my own workflow\n');
    for (const file of expectedFiles.filter((name) => name !== 'stages.yaml')) expect(existsSync(join(directory, file)), file).toBe(true);

    const again = await runCliInProcess(['init'], { cwd: directory });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).not.toMatch(/^created/m);
    expect(again.stdout).toMatch(/^kept +\.gitignore \(already ignores \.teambot\/\)$/m);
  });

  it('overwrites with --force and says which files it replaced', async () => {
    const directory = temporaryDirectory();
    writeFileSync(join(directory, 'teambot.json'), '{}');
    const result = await runCliInProcess(['init', '--force'], { cwd: directory });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^overwrote teambot\.json$/m);
    expect(JSON.parse(readFileSync(join(directory, 'teambot.json'), 'utf8'))).toHaveProperty('agents');
  });

  it.each([
    ['no trailing newline', 'node_modules\ndist', 'node_modules\ndist\n.teambot/\n'],
    ['a trailing newline', 'node_modules\n', 'node_modules\n.teambot/\n'],
    ['CRLF line ends', 'node_modules\r\n', 'node_modules\r\n.teambot/\n'],
    ['an empty file', '', '.teambot/\n'],
  ])('adds .teambot/ to a .gitignore with %s, keeping its content', async (_name, before, after) => {
    const directory = temporaryDirectory();
    writeFileSync(join(directory, '.gitignore'), before);
    const result = await runCliInProcess(['init'], { cwd: directory });
    expect(result.stdout).toMatch(/^updated +\.gitignore/m);
    expect(readFileSync(join(directory, '.gitignore'), 'utf8')).toBe(after);
  });

  it.each(['.teambot', '/.teambot/', '  .teambot/  '])('does not add .teambot/ twice (already there as %j), even with --force', async (entry) => {
    const directory = temporaryDirectory();
    writeFileSync(join(directory, '.gitignore'), `node_modules\n${entry}\n`);
    await runCliInProcess(['init', '--force'], { cwd: directory });
    expect(readFileSync(join(directory, '.gitignore'), 'utf8')).toBe(`node_modules\n${entry}\n`);
  });

  it('writes an objective template that is refused until its placeholders are replaced', async () => {
    const directory = temporaryDirectory();
    await runCliInProcess(['init'], { cwd: directory });
    const refused = await runCliInProcess(['validate', '--objective', 'objectives/example.md'], { cwd: directory });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/example\.md:1:\d+: "<short title>" is a placeholder .*\[objective-placeholder\]/);
  });
});

/** Every entry under a directory with its kind and, for files, its content: "nothing was written" is this staying the same. */
function snapshot(directory: string, under = ''): string[] {
  return readdirSync(join(directory, under)).sort().flatMap((name) => {
    const path = join(under, name);
    const found = lstatSync(join(directory, path));
    if (found.isSymbolicLink()) return [`${path} -> ${readlinkSync(join(directory, path))}`];
    if (found.isDirectory()) return [`${path}/`, ...snapshot(directory, path)];
    if (found.isFile()) return [`${path}: ${readFileSync(join(directory, path), 'utf8')}`];
    return [`${path} (special)`];
  });
}

/** A refusal as the CLI must give it: exit 2, each rule with a fix line, no crash, no stack. */
function expectRefused(result: { exitCode: number | undefined; stderr: string; stdout: string }, rules: readonly string[]) {
  expect(result.exitCode).toBe(2);
  for (const rule of rules) expect(result.stderr).toMatch(new RegExp(`\\[${rule}\\]\n {2}fix: \\S`));
  expect(result.stderr).toMatch(/nothing was changed/);
  expect(result.stderr).not.toMatch(/unexpected error|\n\s+at /);
  expect(result.stdout).toBe('');
}

describe('teambot init refuses, writing nothing, when a destination is in the way', () => {
  it('a directory named stages.yaml (with --force): [init-not-a-file]', async () => {
    const directory = temporaryDirectory();
    mkdirSync(join(directory, 'stages.yaml'));
    const before = snapshot(directory);
    const result = await runCliInProcess(['init', '--force'], { cwd: directory });
    expectRefused(result, ['init-not-a-file']);
    expect(result.stderr).toMatch(/^stages\.yaml: this is a directory; init writes a file here \[init-not-a-file\]$/m);
    expect(snapshot(directory)).toEqual(before);
  });

  it('reports every conflict at once: a symlink loop, .github and objectives as files, a FIFO .gitignore', async () => {
    const directory = temporaryDirectory();
    symlinkSync('teambot.json', join(directory, 'teambot.json'));
    writeFileSync(join(directory, '.github'), 'a file\n');
    writeFileSync(join(directory, 'objectives'), 'a file\n');
    execFileSync('mkfifo', [join(directory, '.gitignore')]);
    const before = snapshot(directory);
    const result = await withDeadline(runCliInProcess(['init', '--force'], { cwd: directory }), 15_000, 'init to refuse');
    expectRefused(result, ['init-unusable-path', 'init-not-a-directory', 'init-not-a-file']);
    expect(result.stderr).toMatch(/^teambot\.json: this cannot be used as a file: a symbolic link in a loop \(ELOOP\)/m);
    expect(result.stderr).toMatch(/^\.github: this is a file; init writes \.github\/agents\/\S+ inside it/m);
    expect(result.stderr).toMatch(/^objectives: this is a file; init writes objectives\/example\.md inside it/m);
    expect(result.stderr).toMatch(/^\.gitignore: this is a named pipe \(FIFO\)/m);
    expect(result.stderr).toMatch(/4 problems found/);
    expect(snapshot(directory)).toEqual(before);
  });

  it('a FIFO named teambot.json (with --force) is refused, not opened: no hang', async () => {
    const directory = temporaryDirectory();
    execFileSync('mkfifo', [join(directory, 'teambot.json')]);
    const result = await withDeadline(runCliInProcess(['init', '--force'], { cwd: directory }), 15_000, 'init to refuse the FIFO');
    expectRefused(result, ['init-not-a-file']);
    expect(snapshot(directory)).toEqual(['teambot.json (special)']);
  });

  it('a FIFO named package.json is not read for a test command: no hang, init writes as usual', async () => {
    const directory = temporaryDirectory();
    execFileSync('mkfifo', [join(directory, 'package.json')]);
    const result = await withDeadline(runCliInProcess(['init'], { cwd: directory }), 15_000, 'init to finish');
    expect(result.exitCode).toBe(0);
    expect(existsSync(join(directory, 'teambot.json'))).toBe(true);
  });

  it('a directory the user may not write: [init-not-writable], once, nothing written', async () => {
    const directory = temporaryDirectory();
    chmodSync(directory, 0o555);
    // root may write anywhere: run as nobody then (mkdtemp's directory is 0700, so open it first).
    const asRoot = process.getuid?.() === 0;
    const result = asRoot
      ? await execa('runuser', ['-u', 'nobody', '--', process.execPath, cliPath, 'init'], { cwd: directory, reject: false, env: { NO_COLOR: '1' } })
      : await runCliInProcess(['init'], { cwd: directory });
    expectRefused({ exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr }, ['init-not-writable']);
    expect(result.stderr.match(/\[init-not-writable\]/g)).toHaveLength(1);
    expect(readdirSync(directory)).toEqual([]);
  });

  it('a read-only teambot.json with --force: [init-not-writable], nothing overwritten', async () => {
    const directory = temporaryDirectory();
    writeFileSync(join(directory, 'teambot.json'), '{}');
    chmodSync(join(directory, 'teambot.json'), 0o444);
    // The directory itself is writable for everyone: only the file's own mode refuses.
    chmodSync(directory, 0o777);
    const asRoot = process.getuid?.() === 0;
    const result = asRoot
      ? await execa('runuser', ['-u', 'nobody', '--', process.execPath, cliPath, 'init', '--force'], { cwd: directory, reject: false, env: { NO_COLOR: '1' } })
      : await runCliInProcess(['init', '--force'], { cwd: directory });
    expectRefused({ exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr }, ['init-not-writable']);
    expect(result.stderr).toMatch(/^teambot\.json: init would overwrite teambot\.json, but may not write it/m);
    expect(readdirSync(directory)).toEqual(['teambot.json']);
    expect(readFileSync(join(directory, 'teambot.json'), 'utf8')).toBe('{}');
  });

  it('a symbolic link to a file counts as that file: kept, and with --force the file it leads to is overwritten', async () => {
    const directory = temporaryDirectory();
    const shared = join(temporaryDirectory(), 'team.json');
    writeFileSync(shared, '{}');
    symlinkSync(shared, join(directory, 'teambot.json'));
    expect((await runCliInProcess(['init'], { cwd: directory })).stdout).toMatch(/^kept +teambot\.json/m);
    expect(readFileSync(shared, 'utf8')).toBe('{}');
    const forced = await runCliInProcess(['init', '--force'], { cwd: directory });
    expect(forced.stdout).toMatch(/^overwrote teambot\.json$/m);
    expect(lstatSync(join(directory, 'teambot.json')).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(shared, 'utf8'))).toHaveProperty('agents');
  });
});
