import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands, createProject, readEvents } from '../../support/project.js';
import { runCliInProcess } from '../../support/runCli.js';

/** TeamBot's project with its RESEARCH ‖ TEST_STRATEGY group limited to one stage at a time. */
function oneAtATime(): string {
  const cwd = createProject('default_ms: 2\n');
  const stagesPath = join(cwd, 'stages.yaml');
  const text = readFileSync(stagesPath, 'utf8');
  const limited = text.replace(/(\n {4}before: PLAN\n)/, '$1    max_concurrent: 1\n');
  if (limited === text) throw new Error('the fixture\'s group changed: its `before: PLAN` line is gone');
  writeFileSync(stagesPath, limited);
  return cwd;
}

describe('max_concurrent through the CLI', { timeout: 60_000 }, () => {
  it('validate shows the limit; a run starts the group\'s second stage only once the first has ended', async () => {
    const cwd = oneAtATime();
    const validated = await runCliInProcess(commands.validate, { cwd });
    expect(validated.exitCode, validated.stderr).toBe(0);
    expect(validated.stdout).toMatch(/parallel group post_spec_review \(let_finish, 1 at a time\): RESEARCH ‖ TEST_STRATEGY/);

    const run = await runCliInProcess(commands.run, { cwd });
    expect(run.exitCode, run.stderr).toBe(0);
    const order = readEvents(cwd).flatMap((event) => ((event.type === 'stage.started' || event.type === 'stage.completed')
      && (event.stage === 'RESEARCH' || event.stage === 'TEST_STRATEGY') ? [`${event.type} ${event.stage}`] : []));
    expect(order).toEqual(['stage.started RESEARCH', 'stage.completed RESEARCH', 'stage.started TEST_STRATEGY', 'stage.completed TEST_STRATEGY']);
  });

  it('refuses a max_concurrent that is not a whole number from 1, with its line and a fix', async () => {
    const cwd = oneAtATime();
    writeFileSync(join(cwd, 'stages.yaml'), readFileSync(join(cwd, 'stages.yaml'), 'utf8').replace('max_concurrent: 1', 'max_concurrent: 0'));
    const validated = await runCliInProcess(commands.validate, { cwd });
    expect(validated.exitCode).toBe(2);
    expect(validated.stderr).toMatch(/stages\.yaml:\d+:\d+: .*max_concurrent.*\n {2}fix: /);
  });
});
