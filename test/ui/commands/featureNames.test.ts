import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseObjective } from '../../../loader/objective.js';
import { fixturesDir, runCliInProcess, temporaryDirectory } from '../../support/runCli.js';

/** A directory with one objective and a quick simulation; the built-in team and workflow. */
function project(objective: string, file = 'objective.md') {
  const cwd = temporaryDirectory();
  writeFileSync(join(cwd, file), objective);
  writeFileSync(join(cwd, 'sim.yaml'), 'default_ms: 1\n');
  return { cwd, run: ['run', file, '--runner', 'simulated', '--simulate', 'sim.yaml', '--no-ui'] };
}

const state = (directory: string) => JSON.parse(readFileSync(join(directory, 'orchestration_state.json'), 'utf8')) as { feature_name: string; status: string };

describe('feature names as TeamBot gives them', () => {
  it('TeamBot\'s own objectives get the names expected.json records', () => {
    const expected = JSON.parse(readFileSync(join(fixturesDir, 'objectives', 'expected.json'), 'utf8')) as Record<string, { feature_name: string }>;
    for (const [name, { feature_name }] of Object.entries(expected)) {
      const objective = parseObjective(readFileSync(join(fixturesDir, 'objectives', name), 'utf8'), name);
      expect(objective.featureName, name).toBe(feature_name);
      expect(objective.teamBotFeatureName, name).toBeUndefined();
    }
  });

  it('a generic title in a generic file (objective.md, # Objective) is named after the first goal', async () => {
    const { cwd, run } = project('# Objective\n\n## Goals\n- Cache the API replies\n- Expire them hourly\n\n## Success Criteria\n- [ ] Replies are cached\n');
    const validate = await runCliInProcess(['validate', '--objective', 'objective.md', '--runner', 'simulated'], { cwd });
    expect(validate.stdout).toMatch(/feature\s+cache-api-replies {2}→ {2}\.teambot\/cache-api-replies\//);
    const result = await runCliInProcess(run, { cwd });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(state(join(cwd, '.teambot', 'cache-api-replies')).feature_name).toBe('cache-api-replies');
    expect(existsSync(join(cwd, '.teambot', 'objective'))).toBe(false);
  });

  it('an accented title keeps its transliterated name, but a directory TeamBot made for it is used', async () => {
    const objective = '# Café menu\n\n## Goals\n- Show the menu\n\n## Success Criteria\n- [ ] It shows\n';
    const fresh = project(objective, 'cafe.md');
    expect((await runCliInProcess(fresh.run, { cwd: fresh.cwd })).exitCode).toBe(0);
    expect(state(join(fresh.cwd, '.teambot', 'cafe-menu')).feature_name).toBe('cafe-menu');

    // TeamBot drops é: its directory for this objective is caf-menu.
    const migrating = project(objective, 'cafe.md');
    mkdirSync(join(migrating.cwd, '.teambot', 'caf-menu'), { recursive: true });
    const result = await runCliInProcess(migrating.run, { cwd: migrating.cwd });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(state(join(migrating.cwd, '.teambot', 'caf-menu'))).toMatchObject({ feature_name: 'caf-menu', status: 'complete' });
    expect(existsSync(join(migrating.cwd, '.teambot', 'cafe-menu'))).toBe(false);
    const status = await runCliInProcess(['status', 'cafe.md'], { cwd: migrating.cwd });
    expect(status.exitCode, status.stderr).toBe(0);
    expect(status.stdout).toContain('caf-menu');
  });
});
