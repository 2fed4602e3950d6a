import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { runTeambot } from '../../../ui/program.js';
import { cliPath, runCliInProcess, temporaryDirectory } from '../../support/runCli.js';
import { demoProject } from '../../support/project.js';

const COMMANDS = ['validate', 'run', 'resume', 'status', 'inspect', 'init', 'graph', 'schema', 'notify', 'completion'];

/** A command line run in-process with the given invocation and stderr, as a terminal would have it. */
async function runWith(args: string[], options: { invocation?: string; stderr?: { isTTY?: boolean; columns?: number }; env?: Record<string, string>; cwd?: string } = {}) {
  let stdout = '';
  let stderr = '';
  const exitCode = await runTeambot(args, {
    cwd: options.cwd ?? temporaryDirectory(), invocation: options.invocation, env: options.env ?? {},
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { ...options.stderr, write: (text: string) => (stderr += text) },
  });
  return { exitCode, stdout, stderr };
}

describe('bare teambot: an overview on stdout, exit 0', () => {
  it('lists every command on one line, the quick start and where the docs are, as the user runs teambot', async () => {
    const result = await runWith([], { invocation: 'npx teambot' });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    for (const command of COMMANDS) expect(result.stdout).toMatch(new RegExp(`^  ${command} +\\S.*$`, 'm'));
    const steps = result.stdout.split('\n').filter((line) => /^ {2}\d\. /.test(line));
    expect(steps.map((line) => line.replace(/^ {2}\d\. (\S+ \S+ \S+(?: \S+)*?) {2,}.*$/, '$1'))).toEqual([
      'npx teambot init',
      'npx teambot validate --objective objectives/example.md',
      'npx teambot run objectives/example.md --runner simulated',
      'npx teambot run objectives/example.md',
    ]);
    expect(result.stdout).toContain('npx teambot <command> --help');
    expect(result.stdout).toMatch(/README\.md$/m);
  });
});

describe('--help: every command has examples, spelled as the user runs teambot', () => {
  it.each(COMMANDS)('%s --help', async (command) => {
    const result = await runWith([command, '--help'], { invocation: 'node ../teambot/dist/cli.js' });
    expect(result.exitCode).toBe(0);
    const examples = result.stdout.slice(result.stdout.indexOf('\nExamples:\n'));
    expect(examples).toMatch(/^ {2}# \S/m);
    const commandLines = examples.split('\n').filter((line) => line.startsWith('  $ '));
    expect(commandLines.length).toBeGreaterThan(0);
    for (const line of commandLines) expect(line).toMatch(new RegExp(`^ {2}\\$ (source <\\()?node \\.\\./teambot/dist/cli\\.js ${command}\\b`));
  });

  it('the program\'s own --help points to the commands\' help and the overview', async () => {
    const result = await runWith(['--help'], { invocation: 'teambot' });
    expect(result.stdout).toContain('Run `teambot <command> --help` for a command\'s options and examples');
  });
});

describe('teambot completion', () => {
  /** What bash completes for these words, from the script the built CLI prints, sourced in a real bash. */
  async function bashCompletes(words: string[]): Promise<string> {
    const script = `source <(node ${JSON.stringify(cliPath)} completion bash)
COMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')}); COMP_CWORD=${words.length - 1}
_teambot
echo "\${COMPREPLY[*]}"`;
    const result = await execa('bash', ['-c', script], { env: { NO_COLOR: '1' }, reject: false });
    expect(result.stderr).toBe('');
    return result.stdout;
  }

  it('bash: a command from its start, an option from its start, an option\'s choices, the shells', async () => {
    expect(await bashCompletes(['teambot', 'ru'])).toBe('run');
    expect(await bashCompletes(['teambot', 'run', '--sk'])).toBe('--skip');
    expect(await bashCompletes(['teambot', 're'])).toBe('resume');
    expect(await bashCompletes(['teambot', 'resume', '--j'])).toBe('--json');
    expect(await bashCompletes(['teambot', 'run', 'objective.md', '--runner', 's'])).toBe('simulated');
    expect(await bashCompletes(['teambot', 'graph', '--format', ''])).toBe('mermaid dot json');
    expect(await bashCompletes(['teambot', 'completion', ''])).toBe('bash zsh fish');
  });

  it('every script is generated from the commands and their options: a command or option added shows up', async () => {
    for (const shell of ['bash', 'zsh', 'fish']) {
      const result = await runCliInProcess(['completion', shell]);
      expect(result.exitCode).toBe(0);
      for (const command of COMMANDS) expect(result.stdout).toContain(command);
      for (const option of ['skip', 'max-hours', 'no-ui', 'quiet', 'rerun', 'port', 'indent']) expect(result.stdout).toContain(option);
    }
    expect((await runCliInProcess(['completion', 'zsh'])).stdout).toMatch(/^#compdef teambot$/m);
    expect((await runCliInProcess(['completion', 'fish'])).stdout).toMatch(/^complete -c teambot -n '__fish_seen_subcommand_from run' -l skip -r -d /m);
  });

  it('zsh and fish scripts parse, where those shells are installed', async () => {
    for (const shell of ['zsh', 'fish']) {
      const installed = await execa('sh', ['-c', `command -v ${shell}`], { reject: false });
      if (installed.exitCode !== 0) continue; // checked for their words above
      const file = join(temporaryDirectory(), `teambot.${shell}`);
      writeFileSync(file, (await runCliInProcess(['completion', shell])).stdout);
      const result = await execa(shell, ['-n', file], { reject: false });
      expect(result.stderr).toBe('');
      expect(result.exitCode).toBe(0);
    }
  });

  it('an unknown shell is a usage error', async () => {
    const result = await runCliInProcess(['completion', 'powershell']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/'powershell' is invalid/);
  });
});

describe('--json: errors are JSON on stdout too, for every command that prints JSON', () => {
  const refusals: [string, string[], string][] = [
    ['validate, bad input', ['validate', 'missing.yaml', '--json'], 'stages-not-found'],
    ['status, no run', ['status', '--json'], ''],
    ['graph --format json, bad input', ['graph', '--stages', 'missing.yaml', '--format', 'json'], ''],
    ['graph --format=json, a usage error', ['graph', '--format=json', '--bogus'], 'invalid-command-line'],
    ['run --json, bad input', ['run', 'missing.md', '--json'], ''],
    ['run --json, a usage error', ['run', '--json', '--max-hours'], 'invalid-command-line'],
    ['resume --json, no run', ['resume', '--json'], ''],
    ['status --json, an unknown option', ['status', '--json', '--bogus'], 'invalid-command-line'],
  ];
  it.each(refusals)('%s', async (_, args, rule) => {
    const result = await runCliInProcess(args, { cwd: temporaryDirectory() });
    expect(result.exitCode).toBe(2);
    const answer = JSON.parse(result.stdout) as { valid: boolean; errors: { rule: string; message: string; fix: string }[] };
    expect(answer.valid).toBe(false);
    expect(answer.errors.length).toBeGreaterThan(0);
    for (const error of answer.errors) expect(error).toMatchObject({ rule: expect.any(String), message: expect.any(String), fix: expect.any(String) });
    if (rule) expect(answer.errors.map((error) => error.rule)).toContain(rule);
  });

  it('run --json and --quiet are run options: refusals before the run are the same as without them', async () => {
    const { cwd, run } = demoProject('default_ms: 1\n');
    const result = await runCliInProcess([...run, '--quiet', '--skip', 'SPEC'], { cwd });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/\[skip-not-optional\]/);
  });
});

describe('errors on a terminal: coloured and wrapped to its width', () => {
  const longStage = 'A_STAGE_NAME_THAT_DOES_NOT_EXIST_IN_THE_WORKFLOW';

  it('invalid input: where in bold, the rule dim, fix: green, the count red, every line within the width', async () => {
    const { cwd, run } = demoProject('default_ms: 1\n');
    const result = await runWith([...run, '--skip', longStage], { cwd, stderr: { isTTY: true, columns: 60 } });
    expect(result.exitCode).toBe(2);
    const plain = result.stderr.replace(/\u001b\[[0-9;]*m/g, '');
    expect(result.stderr).toContain('\u001b[1mcommand line:\u001b[22m');
    expect(result.stderr).toContain('\u001b[2m[skip-unknown-stage]\u001b[22m');
    expect(result.stderr).toContain('  \u001b[32mfix:\u001b[39m ');
    expect(result.stderr).toContain('\u001b[31m✗ 1 problem found\u001b[39m');
    const lines = plain.split('\n');
    for (const line of lines) expect(line.length <= 60 || !line.trim().includes(' '), line).toBe(true);
    // A wrapped line goes on indented, so none passes for a new issue or fix.
    const fixAt = lines.findIndex((line) => line.startsWith('  fix: '));
    expect(fixAt).toBeGreaterThan(1);
    expect(lines.slice(1, fixAt).every((line) => line.startsWith('    '))).toBe(true);
    expect(lines[fixAt + 1]).toMatch(/^ {7}\S/);
  });

  it('NO_COLOR: wrapped but not coloured; a pipe: neither', async () => {
    const { cwd, run } = demoProject('default_ms: 1\n');
    const noColor = await runWith([...run, '--skip', longStage], { cwd, stderr: { isTTY: true, columns: 60 }, env: { NO_COLOR: '1' } });
    expect(noColor.stderr).not.toContain('\u001b[');
    expect(noColor.stderr.split('\n').filter((line) => line.length > 0).length).toBeGreaterThan(4);
    const piped = await runWith([...run, '--skip', longStage], { cwd });
    expect(piped.stderr).not.toContain('\u001b[');
    expect(piped.stderr).toMatch(/^command line: --skip A_STAGE_NAME_THAT_DOES_NOT_EXIST_IN_THE_WORKFLOW: no such stage in the workflow \[skip-unknown-stage\]$/m);
  });

  it('usage errors: error: in red, wrapped, what the user typed made safe before it is coloured', async () => {
    const result = await runWith(['run', '--max-hours'], { stderr: { isTTY: true, columns: 30 } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^\u001b\[31merror:\u001b\[39m option/);
    expect(result.stderr.replace(/\u001b\[[0-9;]*m/g, '').split('\n').filter((line) => line.startsWith('  ')).length).toBeGreaterThan(0);
    const hostile = await runWith(['\u001b]0;pwned\u0007'], { stderr: { isTTY: true, columns: 80 } });
    expect(hostile.stderr).toContain('\\x1b]0;pwned\\x07');
    expect(hostile.stderr).not.toContain('\u0007');
  });
});
