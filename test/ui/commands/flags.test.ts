import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoProject, stackTraceLine } from '../../support/project.js';
import { runCliInProcess, temporaryDirectory } from '../../support/runCli.js';

/** A command-line refusal as it must look: exit 2, the rule, a fix line, no crash or stack, nothing on stdout. */
function expectRefused(result: { exitCode: number; stdout: string; stderr: string }, rule: string) {
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toMatch(new RegExp(`^command line: .+ \\[${rule}\\]\\n {2}fix: \\S`, 'm'));
  expect(result.stderr).not.toMatch(/unexpected error/);
  expect(result.stderr).not.toMatch(stackTraceLine);
  expect(result.stdout).toBe('');
}

describe('flags are read strictly: a bad value is refused, never bent into range', () => {
  it.each(['abc', '-3', '1e9', '100', '1.5', '', '0x2', '11'])('schema --indent %j: [invalid-indent]', async (value) => {
    const result = await runCliInProcess(['schema', '--indent', value], { cwd: temporaryDirectory() });
    expectRefused(result, 'invalid-indent');
    expect(result.stderr).toContain(`--indent ${value}: must be a whole number of spaces from 0 to 10`);
  });

  it.each([[0, /^\{"\$schema"/], [10, /^\{\n {10}"\$schema"/], [undefined, /^\{\n {2}"\$schema"/]])('schema --indent %s is used as given', async (value, start) => {
    const result = await runCliInProcess(['schema', ...(value === undefined ? [] : ['--indent', String(value)])], { cwd: temporaryDirectory() });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(start);
  });

  it.each(['0x10', '1e-9', '0.0000001', '0', '-1', 'Infinity', 'NaN', '', '8h', '1e400', '87601'])(
    'run --max-hours %j: [invalid-max-hours], nothing written', async (value) => {
      const { cwd, run } = demoProject('default_ms: 1\n');
      const before = readdirSync(cwd).sort();
      const result = await runCliInProcess([...run, '--max-hours', value], { cwd });
      expectRefused(result, 'invalid-max-hours');
      expect(result.stderr).toContain(`--max-hours ${value}: must be a decimal number of hours, at least 0.0003 (one second) and at most 87600 (ten years)`);
      expect(readdirSync(cwd).sort()).toEqual(before);
      expect(existsSync(join(cwd, '.teambot'))).toBe(false);
    },
  );

  it('resume --max-hours is read the same way', async () => {
    const result = await runCliInProcess(['resume', 'some-feature', '--max-hours', '0x10'], { cwd: temporaryDirectory() });
    expectRefused(result, 'invalid-max-hours');
  });

  it.each([['run', 'objective.md', '--resume', '--fresh'], ['run', '--resume', 'some-feature', '--fresh']])(
    '%s … --resume with --fresh: [fresh-with-resume], nothing written', async (...args) => {
      const cwd = temporaryDirectory();
      const result = await runCliInProcess(args, { cwd });
      expectRefused(result, 'fresh-with-resume');
      expect(readdirSync(cwd)).toEqual([]);
    },
  );
});

describe('--json: bad input is answered as JSON on stdout, in the shape validate --json uses', () => {
  it('status --json with no run: { valid: false, errors } on stdout, exit 2, nothing on stderr', async () => {
    const result = await runCliInProcess(['status', '--json'], { cwd: temporaryDirectory() });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('');
    const answer = JSON.parse(result.stdout) as { valid: boolean; errors: { rule: string; fix: string }[] };
    expect(answer.valid).toBe(false);
    expect(answer.errors).toEqual([expect.objectContaining({ rule: 'state-not-found', fix: expect.stringMatching(/\S/) })]);
  });

  it('validate --json with a broken stages.yaml: the same shape', async () => {
    const cwd = temporaryDirectory();
    writeFileSync(join(cwd, 'stages.yaml'), 'stage_order: []\n');
    const result = await runCliInProcess(['validate', '--json'], { cwd });
    expect(result.exitCode).toBe(2);
    const answer = JSON.parse(result.stdout) as { valid: boolean; errors: { rule: string }[] };
    expect(answer.valid).toBe(false);
    expect(answer.errors.length).toBeGreaterThan(0);
  });

  it('an unknown option with --json: exit 2, still JSON on stdout', async () => {
    const result = await runCliInProcess(['status', '--json', '--bogus'], { cwd: temporaryDirectory() });
    expect(result.exitCode).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({ valid: false, errors: [expect.objectContaining({ rule: 'invalid-command-line', message: "unknown option '--bogus'" })] });
  });
});
