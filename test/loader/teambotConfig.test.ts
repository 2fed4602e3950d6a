import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expandEnvPlaceholders, MissingEnvironmentVariableError } from '../../loader/envPlaceholders.js';
import { parseJsonSource } from '../../loader/jsonSource.js';
import { validateTeambotConfig } from '../../loader/validateTeambotConfig.js';

const fixture = new URL('../fixtures/teambot/teambot.json', import.meta.url);

function validate(text: string) {
  return validateTeambotConfig(parseJsonSource('teambot.json', text), { source: '/tmp/teambot.json' });
}

const agents = `[
    { "id": "pm", "persona": "project_manager" },
    { "id": "builder-1", "persona": "builder", "parallel_capable": true }
  ]`;
const valid = `{\n  "default_agent": "pm",\n  "agents": ${agents}\n}\n`;

function lineOf(text: string, marker: string): number {
  return text.split('\n').findIndex((line) => line.includes(marker)) + 1;
}

const cases = [
  { name: 'trailing comma', text: valid.replace('"pm",\n  "agents"', '"pm",,\n  "agents"'), rule: 'json-syntax', at: '"pm",,' },
  { name: 'comment', text: valid.replace('{\n', '{\n  // team\n'), rule: 'json-syntax', at: '// team' },
  { name: 'duplicate key', text: valid.replace('"default_agent": "pm",', '"default_agent": "pm",\n  "default_agent": "builder-1",'), rule: 'duplicate-key', at: '"builder-1",' },
  { name: 'unknown agent field', text: valid.replace('"persona": "builder"', '"persona": "builder", "modle": "gpt-5"'), rule: 'unknown-field', at: '"modle"', fix: /did you mean "model"/ },
  { name: 'unknown top-level field', text: valid.replace('"default_agent"', '"default_agnet"'), rule: 'unknown-field', at: 'default_agnet', fix: /did you mean "default_agent"/ },
  { name: 'agent without persona', text: valid.replace('"id": "pm", "persona": "project_manager"', '"id": "pm"'), rule: 'missing-field', at: '"id": "pm"', message: /"agents\[0\]\.persona"/ },
  { name: 'boolean as text', text: valid.replace('"parallel_capable": true', '"parallel_capable": "yes"'), rule: 'wrong-type', at: '"parallel_capable": "yes"' },
  { name: 'duplicate agent id', text: valid.replace('"id": "builder-1"', '"id": "pm"'), rule: 'duplicate-agent', at: '"id": "pm", "persona": "builder"' },
  { name: 'default_agent not an agent', text: valid.replace('"default_agent": "pm"', '"default_agent": "pn"'), rule: 'unknown-agent', at: '"default_agent"', fix: /did you mean "pm"/ },
  { name: 'command runner without argv', text: valid.replace('"default_agent": "pm",', '"default_agent": "pm",\n  "runner": { "type": "command" },'), rule: 'missing-field', at: '"runner"' },
  { name: 'unknown runner type', text: valid.replace('"default_agent": "pm",', '"default_agent": "pm",\n  "runner": { "type": "claud" },'), rule: 'invalid-value', at: '"runner"', message: /copilot, command, simulated/ },
];

describe('teambot.json validation', () => {
  it('accepts TeamBot\'s own teambot.json, including its workflow and notifications sections', () => {
    const { config, issues } = validate(readFileSync(fixture, 'utf8'));
    expect(issues).toEqual([]);
    expect(config!.agents.map((agent) => agent.id)).toEqual(['pm', 'ba', 'writer', 'builder-1', 'builder-2', 'reviewer']);
    expect(config!.teambot_dir).toBe('.teambot');
    expect(config!.runner.type).toBe('copilot');
  });

  it('says an empty file is empty', () => {
    const { issues } = validate('  \n');
    expect(issues).toEqual([expect.objectContaining({ rule: 'json-syntax', message: 'the file is empty' })]);
  });

  it('names a duplicate key and the line of its first occurrence, in nested objects too', () => {
    const text = valid
      .replace('"default_agent": "pm",', '"default_agent": "pm",\n  "default_agent": "builder-1",')
      .replace('"id": "pm",', '"id": "pm", "id": "pm2",');
    const duplicates = validate(text).issues.filter((issue) => issue.rule === 'duplicate-key');
    expect(duplicates.map(({ line, message }) => ({ line, message }))).toEqual([
      { line: lineOf(text, '"builder-1",'), message: `duplicate key "default_agent": first defined on line ${lineOf(text, '"default_agent": "pm"')}` },
      { line: lineOf(text, '"pm2"'), message: `duplicate key "id": first defined on line ${lineOf(text, '"pm2"')}` },
    ]);
    for (const issue of duplicates) expect(issue.fix).toMatch(/keep one of the two entries/);
  });

  it('applies defaults', () => {
    const { config } = validate(valid);
    expect(config!.teambot_dir).toBe('.teambot');
    expect(config!.agents[0]!.display_name).toBe('pm');
    expect(config!.agents[0]!.parallel_capable).toBe(false);
  });

  it.each(cases)('$name → $rule', (testCase) => {
    const { config, issues } = validate(testCase.text);
    expect(config).toBeUndefined();
    const issue = issues.find((candidate) => candidate.rule === testCase.rule);
    expect(issue, `rules: ${issues.map((candidate) => `${candidate.rule}@${candidate.line}`).join(', ')}`).toBeDefined();
    expect(issue!.line).toBe(lineOf(testCase.text, testCase.at));
    if (testCase.fix) expect(issue!.fix).toMatch(testCase.fix);
    if (testCase.message) expect(issue!.message).toMatch(testCase.message);
  });
});

describe('${ENV} placeholders', () => {
  it('expands at use time and leaves the configuration value untouched', () => {
    const setting = 'Bearer ${TEAMBOT_TOKEN}';
    expect(expandEnvPlaceholders(setting, { TEAMBOT_TOKEN: 's3cret' }, 'runner.argv[1]')).toBe('Bearer s3cret');
    expect(setting).toBe('Bearer ${TEAMBOT_TOKEN}');
  });

  it('uses ${NAME:-default} when the variable is unset', () => {
    expect(expandEnvPlaceholders('${MODEL:-gpt-5}', {}, 'default_model')).toBe('gpt-5');
  });

  it('names the variable and the setting when it is missing', () => {
    expect(() => expandEnvPlaceholders('${TEAMBOT_TELEGRAM_TOKEN}', {}, 'notifications.token'))
      .toThrowError(new MissingEnvironmentVariableError('TEAMBOT_TELEGRAM_TOKEN', 'notifications.token'));
  });
});
