import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IGNORED_TEAMBOT_KEYS } from '../../../loader/ignoredTeambotKeys.js';
import { commands, createProject } from '../../support/project.js';
import { runCliInProcess } from '../../support/runCli.js';

/** A project of TeamBot's files whose teambot.json sets every key teambot ignores. */
function projectWithIgnoredKeys() {
  const cwd = createProject();
  const team = JSON.parse(readFileSync(join(cwd, 'teambot.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(cwd, 'teambot.json'), JSON.stringify({
    ...team, logging: { level: 'INFO' }, overlay: { enabled: true }, show_startup_animation: true,
  }, null, 2));
  return cwd;
}

describe('TeamBot keys teambot accepts but ignores', () => {
  it('validate warns once per key, at its line, saying what teambot does instead', async () => {
    const cwd = projectWithIgnoredKeys();
    const result = await runCliInProcess(commands.validate, { cwd });
    expect(result.exitCode, result.stderr).toBe(0);
    for (const key of Object.keys(IGNORED_TEAMBOT_KEYS)) {
      const lines = result.stderr.split('\n').filter((line) => line.startsWith('warning: ') && line.includes(`TeamBot's "${key}"`));
      expect(lines, key).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^warning: teambot\\.json:\\d+:3: ${key}: .*\\[ignored-key\\]$`));
    }
    expect(result.stderr).toContain('"logging" is not used by teambot: teambot logs every event to <teambot_dir>/<feature>/events.jsonl; this setting is ignored');
    expect(result.stderr).toMatch(/fix: nothing to change for teambot; remove "logging" once TeamBot no longer reads this file/);
    expect(result.stderr, 'default_agent is checked, and teambot init writes it').not.toContain('"default_agent"');
    expect(result.stderr, 'notifications are acted on').not.toContain('"notifications"');
  });

  it('validate --json lists them as warnings', async () => {
    const result = await runCliInProcess([...commands.validate, '--json'], { cwd: projectWithIgnoredKeys() });
    const json = JSON.parse(result.stdout) as { warnings: { rule: string; subject: string }[] };
    expect(json.warnings.filter((warning) => warning.rule === 'ignored-key').map((warning) => warning.subject).sort())
      .toEqual(Object.keys(IGNORED_TEAMBOT_KEYS).sort());
  });

  it('run does not repeat them', async () => {
    const result = await runCliInProcess(commands.run, { cwd: projectWithIgnoredKeys() });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('ignored-key');
    expect(result.stderr).not.toContain('"logging"');
  });
});
