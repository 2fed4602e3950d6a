import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stackTraceLine } from '../../support/project.js';
import { repoRoot, runCliInProcess, temporaryDirectory } from '../../support/runCli.js';

/**
 * Objectives that would waste a paid run are refused before anything starts, by `validate`
 * and by `run` alike: exit 2, the rule and its fix on stderr, nothing written.
 */
const refusals: { name: string; write: (path: string) => void; rule: string; stderr: RegExp[] }[] = [
  { name: 'an empty file', write: (path) => writeFileSync(path, '\n\n'), rule: 'objective-empty', stderr: [/the objective file is empty/] },
  {
    name: 'a title without its space', write: (path) => writeFileSync(path, '#Add CSV export\n\n## Goals\n- Download reports as CSV\n'),
    rule: 'objective-title-missing', stderr: [/objective\.md:1:1: .*did you mean `# Add CSV export`\?/, /fix: put a space after the # on line 1/],
  },
  {
    name: 'no goals', write: (path) => writeFileSync(path, '# Add CSV export\n\nWe need CSV export soon.\n'),
    rule: 'objective-goals-missing', stderr: [/has no goals/, /fix: add a "## Goals" section/],
  },
  {
    name: 'init\'s unedited example', write: (path) => copyFileSync(join(repoRoot, 'config', 'objectives', 'example.md'), path),
    rule: 'objective-placeholder', stderr: [/objective\.md:1:14: "<short title>" is a placeholder/, /objective\.md:16:3: "<goal>" is a placeholder/, /fix: replace <goal> with/],
  },
];

describe.each(refusals)('an objective with $name', ({ write, rule, stderr }) => {
  it.each([
    ['validate', ['validate', '--objective', 'objective.md']],
    ['run', ['run', 'objective.md', '--runner', 'simulated', '--no-ui']],
  ])('is refused by %s: exit 2, the rule and fix on stderr, nothing written', async (_command, args) => {
    const cwd = temporaryDirectory();
    write(join(cwd, 'objective.md'));
    const result = await runCliInProcess(args, { cwd });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`[${rule}]`);
    for (const pattern of stderr) expect(result.stderr).toMatch(pattern);
    expect(result.stderr).toMatch(/nothing was changed/);
    expect(result.stderr).not.toMatch(stackTraceLine);
    expect(result.stdout).toBe('');
    expect(readdirSync(cwd)).toEqual(['objective.md']);
  });
});
