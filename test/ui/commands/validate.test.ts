import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir, repoRoot, runCliInProcess, temporaryDirectory, withoutWarnings } from '../../support/runCli.js';

const stackTraceLine = /^\s+at .+:\d+:\d+\)?$/m;

describe('teambot validate', () => {
  it('accepts TeamBot\'s real stages.yaml and teambot.json, once the prompt templates they name exist', async () => {
    const directory = temporaryDirectory();
    const stages = readFileSync(join(fixturesDir, 'stages.yaml'), 'utf8');
    writeFileSync(join(directory, 'stages.yaml'), stages);
    writeFileSync(join(directory, 'teambot.json'), readFileSync(join(fixturesDir, 'teambot.json')));
    const missing = await runCliInProcess(['validate', '--runner', 'simulated'], { cwd: directory });
    expect(missing.exitCode).toBe(2);
    const firstTemplate = stages.split('\n').findIndex((line) => line.includes('sdd.0-initialize.prompt.md')) + 1;
    expect(missing.stderr).toContain(`stages.yaml:${firstTemplate}:22: stage SETUP: prompt_template .agent/commands/sdd/sdd.0-initialize.prompt.md does not exist`);
    expect(missing.stderr).toMatch(/9 problems found/);

    for (const [, template] of stages.matchAll(/prompt_template: (\.agent\S+)/g)) {
      mkdirSync(join(directory, template!, '..'), { recursive: true });
      writeFileSync(join(directory, template!), 'Do the work.\n');
    }
    const result = await runCliInProcess(['validate', '--runner', 'simulated'], { cwd: directory });
    // TeamBot's `workflow` block is accepted, and said to be ignored (ignoredTeambotKeys.test.ts);
    // the fixture has no .github/agents/, so every agent is warned to have no persona (validatePersonas.test.ts).
    expect(withoutWarnings(result.stderr, 'acceptance-command-missing', 'ignored-key', 'persona-missing')).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/14 stages, 1 parallel group, 4 review stages/);
    expect(result.stdout).toMatch(/6 agents, every stage's agents defined and allowed/);
    expect(result.stdout).toMatch(/┌ parallel group post_spec_review \(let_finish\): RESEARCH ‖ TEST_STRATEGY/);
    expect(result.stdout).toMatch(/├─ RESEARCH\s+builder-1/);
    expect(result.stdout).toMatch(/└─ TEST_STRATEGY\s+builder-2/);
    expect(result.stdout).toMatch(/SPEC_REVIEW\s+ba ⇄ reviewer\s+review loop, up to 4 iterations/);
  });

  it('uses the built-in workflow when there is no stages.yaml, and says agents were not checked', async () => {
    const result = await runCliInProcess(['validate', '--runner', 'simulated'], { cwd: temporaryDirectory() });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/built-in stages\.yaml: 14 stages/);
    expect(result.stdout).toMatch(/agents not checked/);
  });

  it('lists every problem of both files with file:line:col, rule and fix, exit 2, no stack trace', async () => {
    const directory = temporaryDirectory();
    const stages = readFileSync(join(fixturesDir, 'stages.yaml'), 'utf8')
      .replace('    work_agent: builder-2\n', '    work_agent: builder-1\n')
      .replace('  - PLAN_REVIEW\n', '  - PLAN_REVEIW\n');
    writeFileSync(join(directory, 'stages.yaml'), stages);
    const team = readFileSync(join(fixturesDir, 'teambot.json'), 'utf8').replace('"default_agent": "pm"', '"default_agent": "pmm"');
    writeFileSync(join(directory, 'teambot.json'), team);

    const result = await runCliInProcess(['validate'], { cwd: directory });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    const line = (marker: string, text: string) => text.split('\n').findIndex((candidate) => candidate.includes(marker)) + 1;
    expect(result.stderr).toContain(`stages.yaml:${line('- PLAN_REVEIW', stages)}:5: stage_order: "PLAN_REVEIW" is not defined under stages [stage-order-undefined]`);
    expect(result.stderr).toMatch(/fix: did you mean "PLAN_REVIEW"\?/);
    expect(result.stderr).toMatch(/stages\.yaml:\d+:\d+: group post_spec_review: "TEST_STRATEGY" and "RESEARCH" both have work_agent builder-1/);
    expect(result.stderr).toContain(`teambot.json:${line('"default_agent"', team)}:`);
    expect(result.stderr).toMatch(/3 problems found; nothing was changed/);
    expect(result.stderr).not.toMatch(stackTraceLine);
  });

  it('says which setting named a stages file that does not exist', async () => {
    const directory = temporaryDirectory();
    writeFileSync(join(directory, 'teambot.json'), JSON.stringify({ agents: [{ id: 'pm', persona: 'project_manager' }], stages_config: 'flows/nope.yaml' }));
    const result = await runCliInProcess(['validate'], { cwd: directory });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/flows\/nope\.yaml: file not found \[stages-not-found\]\n {2}fix: teambot\.json names it in "stages_config"/);
  });

  it('reports a missing file, a directory and a binary file precisely', async () => {
    const directory = temporaryDirectory();
    mkdirSync(join(directory, 'folder.yaml'));
    writeFileSync(join(directory, 'binary.yaml'), Buffer.from([0x00, 0xff, 0x10, 0x00]));
    for (const [file, pattern] of [
      ['missing.yaml', /missing\.yaml: file not found \[stages-not-found\]/],
      ['folder.yaml', /folder\.yaml: this is a directory, not a file \[unreadable\]/],
      ['binary.yaml', /binary\.yaml: the file contains NUL bytes; it is not a text file \[not-text\]/],
    ] as const) {
      const result = await runCliInProcess(['validate', file], { cwd: directory });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(pattern);
      expect(result.stderr).not.toMatch(stackTraceLine);
    }
  });

  it('shows how an objective is read, and prints everything as JSON with --json', async () => {
    const objective = join(fixturesDir, 'objectives', 'objective-notify-agent.md');
    const text = await runCliInProcess(['validate', '--objective', objective, '--runner', 'simulated']);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(/feature\s+simple-notification-end\s+→\s+\.teambot\/simple-notification-end\//);
    expect(text.stdout).toMatch(/goals 8 · success criteria 14 \(0 done\) · constraints 0 · context yes/);

    const json = await runCliInProcess(['validate', '--objective', objective, '--json', '--runner', 'simulated']);
    expect(json.exitCode).toBe(0);
    const parsed = JSON.parse(json.stdout) as { valid: boolean; stages: { id: string; group: string | null }[]; objective: Record<string, unknown> };
    expect(parsed.valid).toBe(true);
    expect(parsed.stages.filter((stage) => stage.group === 'post_spec_review').map((stage) => stage.id)).toEqual(['RESEARCH', 'TEST_STRATEGY']);
    expect(Object.keys(parsed.objective).sort()).toEqual(['constraints', 'context', 'feature_name', 'goals', 'success_criteria', 'title']);
    expect(parsed.objective.feature_name).toBe('simple-notification-end');
    expect((parsed.objective.success_criteria as unknown[]).length).toBe(14);
  });

  it('prints errors as JSON with --json, exit 2', async () => {
    const directory = temporaryDirectory();
    writeFileSync(join(directory, 'stages.yaml'), 'stages:\n  SETUP: { work_agnet: pm }\nstage_order: [SETUP]\n');
    const result = await runCliInProcess(['validate', '--json'], { cwd: directory });
    expect(result.exitCode).toBe(2);
    const parsed = JSON.parse(result.stdout) as { valid: boolean; errors: { rule: string; line: number; column: number }[] };
    expect(parsed.valid).toBe(false);
    expect(parsed.errors).toContainEqual(expect.objectContaining({ rule: 'unknown-field', line: 2, column: 12 }));
  });

  it('reports a missing objective file with exit 2', async () => {
    const result = await runCliInProcess(['validate', '--objective', 'nowhere.md'], { cwd: temporaryDirectory() });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/nowhere\.md/);
    expect(result.stderr).not.toMatch(stackTraceLine);
  });
});

describe('teambot CLI basics', () => {
  it('prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const result = await runCliInProcess(['--version']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim()).toBe(version);
  });

  it('exits 2 on an unknown command or option', async () => {
    const command = await runCliInProcess(['valdate']);
    expect(command.exitCode).toBe(2);
    expect(command.stderr).toMatch(/unknown command 'valdate'/);
    expect(command.stderr).toMatch(/Did you mean validate\?/);
    const option = await runCliInProcess(['validate', '--jsn']);
    expect(option.exitCode).toBe(2);
    expect(option.stderr).toMatch(/unknown option '--jsn'/);
  });

  it.each(['validate', 'init', 'schema'])('has --help for %s', async (command) => {
    const result = await runCliInProcess([command, '--help']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`Usage: teambot ${command}`));
  });

  it('prints the JSON Schema of stages.yaml, identical to the shipped config/stages.schema.json', async () => {
    const result = await runCliInProcess(['schema']);
    expect(result.exitCode).toBe(0);
    const schema = JSON.parse(result.stdout) as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(schema.properties)).toEqual(['stages', 'stage_order', 'parallel_groups', 'work_to_review_mapping']);
    expect(schema.required).toEqual(['stages', 'stage_order']);
    expect(`${result.stdout}\n`).toBe(readFileSync(join(repoRoot, 'config', 'stages.schema.json'), 'utf8'));
  });
});
