import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stagesSnapshotOf, teamSnapshotOf } from '../../loader/builtinSnapshots.js';
import { parseJsonSource } from '../../loader/jsonSource.js';
import type { AgentRoster } from '../../loader/stageRules.js';
import { prevalidatedStages } from '../../loader/stagesSnapshot.js';
import { prevalidatedTeam } from '../../loader/teamSnapshot.js';
import { validateStages } from '../../loader/validateStages.js';
import { validateTeambotConfig } from '../../loader/validateTeambotConfig.js';
import { parseYamlSource } from '../../loader/yamlSource.js';
import { repoRoot, runCli, temporaryDirectory } from '../support/runCli.js';

const stagesText = readFileSync(join(repoRoot, 'config', 'stages.yaml'), 'utf8');
const teamText = readFileSync(join(repoRoot, 'config', 'teambot.json'), 'utf8');
// As the build bundles them: JSON text.
const stagesJson = JSON.stringify(stagesSnapshotOf(stagesText));
const teamJson = JSON.stringify(teamSnapshotOf(teamText));

describe('the built-in workflow validated at build time', () => {
  it('is the workflow validating the file gives, through JSON and all, with the source it is loaded from', () => {
    const options = { source: '/repo/stages.yaml' };
    expect(prevalidatedStages(stagesText, options, stagesJson)).toStrictEqual(validateStages(parseYamlSource('stages.yaml', stagesText), options));
  });

  it('is not used with a team of the user\'s, whose agents the workflow must be checked against, nor for another text', () => {
    const roster: AgentRoster = { file: 'teambot.json', personas: new Map([['pm', 'project_manager']]) };
    expect(prevalidatedStages(stagesText, { source: 'built-in', roster }, stagesJson)).toBeUndefined();
    expect(prevalidatedStages(stagesText.replace('max_iterations', 'max_iteration'), { source: 'built-in' }, stagesJson)).toBeUndefined();
  });

  it('is not made for a workflow with problems', () => {
    expect(stagesSnapshotOf('stages:\n  SPEC: { work_agnet: ba }\nstage_order: [SPEC]\n')).toMatchObject({ value: expect.anything() });
    expect(stagesSnapshotOf('stages:\n  SPEC: { work_agnet: ba }\nstage_order: [SPEC]\n')?.config).toBeUndefined();
  });
});

describe('the built-in team validated at build time', () => {
  it('is the team validating the file gives, with the source it is loaded from', () => {
    const options = { source: '/repo/teambot.json', projectRoot: temporaryDirectory() };
    const { config, issues, warnings } = validateTeambotConfig(parseJsonSource('teambot.json', teamText), options);
    expect(prevalidatedTeam(teamText, options, teamJson)).toStrictEqual({ config, issues, warnings });
  });

  it('is not used for another text, or when its teambot_dir leads out of this project', () => {
    expect(prevalidatedTeam(teamText.replace('"pm"', '"pm2"'), { source: 'built-in' }, teamJson)).toBeUndefined();
    const project = temporaryDirectory();
    symlinkSync(temporaryDirectory(), join(project, '.teambot'));
    expect(prevalidatedTeam(teamText, { source: 'built-in', projectRoot: project }, teamJson)).toBeUndefined();
  });

  it('in the built CLI, still refuses a project whose .teambot leads out of it, at the line of teambot_dir', async () => {
    const project = temporaryDirectory();
    const elsewhere = temporaryDirectory();
    mkdirSync(join(elsewhere, 'runs'));
    symlinkSync(join(elsewhere, 'runs'), join(project, '.teambot'));

    const result = await runCli(['validate', '--runner', 'simulated', '--json'], { cwd: project });

    expect(result.exitCode).toBe(2);
    expect(JSON.parse(result.stdout).errors).toContainEqual(expect.objectContaining({
      ...parseJsonSource('teambot.json', teamText).locate(['teambot_dir']), rule: 'teambot-dir-outside-project', fix: expect.any(String),
    }));
  });
});
