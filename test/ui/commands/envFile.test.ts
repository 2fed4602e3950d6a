import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { forgetSecrets } from '../../../loader/secretRegistry.js';
import { runCliInProcess, temporaryDirectory } from '../../support/runCli.js';

const TOKEN = 'ghp_dotenvValue1234567890';
const NAME = 'TEAMBOT_TEST_DOTENV_TOKEN';

/**
 * A one-stage project whose agent (a command runner: node) writes what it sees of NAME to
 * `seen`, and prints only a fixed line; the value reaches nothing but that file.
 */
function project(envFile: string | undefined) {
  const cwd = temporaryDirectory();
  writeFileSync(join(cwd, 'stages.yaml'), [
    'stages:',
    '  SETUP: { work_agent: pm, description: Set the project up }',
    '  COMPLETE: { description: Done }',
    'stage_order: [SETUP, COMPLETE]',
    '',
  ].join('\n'));
  const script = `require('fs').writeFileSync('seen', String(process.env.${NAME})); console.log('agent done')`;
  writeFileSync(join(cwd, 'teambot.json'), JSON.stringify({
    agents: [{ id: 'pm', persona: 'project_manager' }],
    runner: { type: 'command', argv: ['node', '-e', script, '{prompt}'] },
  }));
  writeFileSync(join(cwd, 'objective.md'), '# Objective: Token check\n\n## Goals\n- See the token\n');
  if (envFile !== undefined) writeFileSync(join(cwd, '.env'), envFile);
  return {
    cwd,
    seen: () => readFileSync(join(cwd, 'seen'), 'utf8'),
    /** Every file teambot wrote for the run, as text. */
    written: () => {
      const featureDir = join(cwd, '.teambot', 'token-check');
      return readdirSync(featureDir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8')).join('\n');
    },
  };
}

/** The shell's environment of the test, without NAME (a developer's shell could have it). */
function shellEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key, value]) => key !== NAME && value !== undefined)) as Record<string, string>;
  return { ...env, ...extra };
}

describe('.env: the project root\'s .env reaches agents, as TeamBot loads it', () => {
  afterEach(() => forgetSecrets());

  it('an agent sees a .env value; it never appears in stdout, stderr, events or state', async () => {
    const { cwd, seen, written } = project(`# keys\nexport ${NAME}="${TOKEN}"\nOTHER=1\n`);
    const result = await runCliInProcess(['run', 'objective.md', '--no-ui'], { cwd, env: shellEnv() });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(seen()).toBe(TOKEN);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
    expect(written()).not.toContain(TOKEN);
    expect(written()).toContain('agent done');
  });

  it('from a subdirectory, the .env of the project root is loaded', async () => {
    const { cwd, seen } = project(`${NAME}=${TOKEN}\n`);
    mkdirSync(join(cwd, 'src'));
    const result = await runCliInProcess(['run', '../objective.md', '--no-ui'], { cwd: join(cwd, 'src'), env: shellEnv() });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(seen()).toBe(TOKEN);
  });

  it('a variable set in the shell wins over .env', async () => {
    const { cwd, seen } = project(`${NAME}=${TOKEN}\n`);
    const result = await runCliInProcess(['run', 'objective.md', '--no-ui'], { cwd, env: shellEnv({ [NAME]: 'from-the-shell' }) });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(seen()).toBe('from-the-shell');
  });

  it('--no-env-file, before or after the command, leaves .env alone', async () => {
    for (const args of [['--no-env-file', 'run', 'objective.md', '--no-ui'], ['run', 'objective.md', '--no-ui', '--no-env-file']]) {
      const { cwd, seen } = project(`${NAME}=${TOKEN}\n`);
      const result = await runCliInProcess(args, { cwd, env: shellEnv() });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(seen(), args.join(' ')).toBe('undefined');
    }
  });

  it('a .env that is a directory is said by name and the command goes on', async () => {
    const { cwd, seen } = project(undefined);
    mkdirSync(join(cwd, '.env'));
    const result = await runCliInProcess(['run', 'objective.md', '--no-ui'], { cwd, env: shellEnv() });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/teambot: .*\.env not loaded: it is a directory$/m);
    expect(seen()).toBe('undefined');
  });

  it('a ${NAME} placeholder in teambot.json is filled from .env, and validate finds it set', async () => {
    const { cwd } = project(`${NAME}=${TOKEN}\n`);
    const team = JSON.parse(readFileSync(join(cwd, 'teambot.json'), 'utf8')) as { runner: { argv: string[] } };
    team.runner.argv = ['node', '-e', 'require("fs").writeFileSync("seen", process.argv[1])', `\${${NAME}}`, '{prompt}'];
    writeFileSync(join(cwd, 'teambot.json'), JSON.stringify(team));
    expect((await runCliInProcess(['validate'], { cwd, env: shellEnv() })).exitCode).toBe(0);
    expect((await runCliInProcess(['--no-env-file', 'validate'], { cwd, env: shellEnv() })).stderr).toContain('[env-missing]');
    const result = await runCliInProcess(['run', 'objective.md', '--no-ui'], { cwd, env: shellEnv() });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(existsSync(join(cwd, 'seen'))).toBe(true);
  });

  it('the acceptance command sees .env values too, as the agents do', async () => {
    const cwd = temporaryDirectory();
    writeFileSync(join(cwd, 'stages.yaml'), [
      'stages:',
      '  ACCEPTANCE_TEST:',
      '    work_agent: pm',
      '    description: Run the acceptance tests',
      '    is_acceptance_test_stage: true',
      `    acceptance_test_command: [node, -e, "require('fs').writeFileSync('seen-by-tests', String(process.env.${NAME}))"]`,
      '  COMPLETE: { description: Done }',
      'stage_order: [ACCEPTANCE_TEST, COMPLETE]',
      '',
    ].join('\n'));
    writeFileSync(join(cwd, 'teambot.json'), JSON.stringify({
      agents: [{ id: 'pm', persona: 'project_manager' }],
      runner: { type: 'command', argv: ['node', '-e', "console.log('agent done')", '{prompt}'] },
    }));
    writeFileSync(join(cwd, 'objective.md'), '# Objective: Token check\n\n## Goals\n- See the token\n');
    mkdirSync(join(cwd, '.teambot', 'token-check', 'artifacts'), { recursive: true });
    writeFileSync(join(cwd, '.teambot', 'token-check', 'artifacts', 'feature_spec.md'), '# Spec\n\n## Acceptance Test Scenarios\n\n### AT-001: it works\n');
    writeFileSync(join(cwd, '.env'), `${NAME}=${TOKEN}\n`);
    await runCliInProcess(['run', 'objective.md', '--no-ui'], { cwd, env: shellEnv() });
    expect(readFileSync(join(cwd, 'seen-by-tests'), 'utf8')).toBe(TOKEN);
  });
});
