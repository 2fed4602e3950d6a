import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AgentRoster } from '../../loader/stageRules.js';
import { validateStages } from '../../loader/validateStages.js';
import { parseYamlSource } from '../../loader/yamlSource.js';

const roster: AgentRoster = {
  file: 'teambot.json',
  personas: new Map([
    ['pm', 'project_manager'], ['ba', 'business_analyst'], ['builder-1', 'builder'],
    ['builder-2', 'builder'], ['reviewer', 'reviewer'],
  ]),
};

/** A small valid workflow; cases below change one thing each. */
const stagesBlock = `stages:
  SETUP: { work_agent: pm }
  SPEC: { work_agent: ba, artifacts: [feature_spec.md] }
  SPEC_REVIEW: { is_review_stage: true, work_agent: ba, review_agent: reviewer }
  RESEARCH: { work_agent: builder-1 }
  TEST_STRATEGY: { work_agent: builder-2 }
  PLAN: { work_agent: pm }
  ACCEPTANCE_TEST: { work_agent: builder-1, is_acceptance_test_stage: true }
  COMPLETE: {}
`;
const orderLine = 'stage_order: [SETUP, SPEC, SPEC_REVIEW, RESEARCH, TEST_STRATEGY, PLAN, ACCEPTANCE_TEST, COMPLETE]\n';
const groupBlock = `parallel_groups:
  post_spec_review:
    after: SPEC_REVIEW
    stages: [RESEARCH, TEST_STRATEGY]
    before: PLAN
`;
const valid = stagesBlock + orderLine + groupBlock;

function validate(text: string, withRoster = true) {
  return validateStages(parseYamlSource('stages.yaml', text), { source: '/tmp/stages.yaml', ...(withRoster ? { roster } : {}) });
}

/** The 1-based line of the first line containing `marker`. */
function lineOf(text: string, marker: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(marker));
  if (index < 0) throw new Error(`marker ${marker} not in test input`);
  return index + 1;
}

interface InvalidCase {
  readonly name: string;
  readonly text: string;
  readonly rule: string;
  /** Text on the line the issue must point at. */
  readonly at: string;
  readonly subject?: string;
  readonly message?: RegExp;
  readonly fix?: RegExp;
}

const replace = (from: string, to: string) => valid.replace(from, to);

const cases: InvalidCase[] = [
  { name: 'YAML syntax error', text: valid.replace('  PLAN: { work_agent: pm }', '  PLAN: { work_agent: pm'), rule: 'yaml-syntax', at: 'ACCEPTANCE_TEST: {' },
  { name: 'duplicate key', text: replace('  PLAN: { work_agent: pm }', '  PLAN: { work_agent: pm }\n  PLAN: { work_agent: ba }'), rule: 'duplicate-key', at: 'PLAN: { work_agent: ba }' },
  { name: 'unknown field with suggestion', text: replace('SETUP: { work_agent: pm }', 'SETUP: { work_agnet: pm }'), rule: 'unknown-field', at: 'work_agnet', subject: 'stage SETUP', fix: /did you mean "work_agent"/ },
  { name: 'unknown top-level field', text: valid.replace('stage_order:', 'stage_ordr:'), rule: 'unknown-field', at: 'stage_ordr', fix: /did you mean "stage_order"/ },
  { name: 'boolean written as text', text: replace('PLAN: { work_agent: pm }', 'PLAN: { work_agent: pm, optional: yes }'), rule: 'wrong-type', at: 'optional: yes', message: /"optional" must be a boolean, not the text "yes"/, fix: /true or false/ },
  { name: 'list written as text', text: replace('artifacts: [feature_spec.md]', 'artifacts: feature_spec.md'), rule: 'wrong-type', at: 'artifacts: feature_spec.md', message: /must be a list/ },
  { name: 'group without before', text: valid.replace('    before: PLAN\n', ''), rule: 'missing-field', at: 'post_spec_review:', message: /"before"/ },
  { name: 'stage_order names an undefined stage', text: valid.replace('TEST_STRATEGY, PLAN,', 'TEST_STRATEGY, PLANN,'), rule: 'stage-order-undefined', at: 'stage_order:', fix: /did you mean "PLAN"/ },
  { name: 'stage_order repeats a stage', text: valid.replace('[SETUP, SPEC,', '[SETUP, SPEC, SETUP,').replace('SPEC_REVIEW\n', 'SETUP\n'), rule: 'stage-order-duplicate', at: 'stage_order:', message: /"SETUP" is listed twice/ },
  { name: 'last stage not terminal', text: replace('  COMPLETE: {}', '  COMPLETE: { work_agent: pm }'), rule: 'terminal-stage', at: 'stage_order:', subject: 'stage COMPLETE' },
  { name: 'work stage without work_agent', text: replace('PLAN: { work_agent: pm }', 'PLAN: { description: plan it }'), rule: 'work-agent-required', at: 'PLAN: {', subject: 'stage PLAN' },
  { name: 'review stage without review_agent', text: replace('work_agent: ba, review_agent: reviewer }', 'work_agent: ba }'), rule: 'review-agents-required', at: 'SPEC_REVIEW:', message: /review_agent/ },
  { name: 'agent not in teambot.json', text: replace('PLAN: { work_agent: pm }', 'PLAN: { work_agent: pmm }'), rule: 'unknown-agent', at: 'PLAN: {', message: /"pmm" is not defined in teambot.json/, fix: /did you mean "pm"/ },
  { name: 'allowed_personas lacks the acting persona', text: replace('PLAN: { work_agent: pm }', 'PLAN: { work_agent: pm, allowed_personas: [builder] }'), rule: 'persona-not-allowed', at: 'PLAN: {', message: /project_manager/ },
  { name: 'work_to_review_mapping names an undefined stage', text: `${valid}work_to_review_mapping:\n  SPEC: SPEC_REVEIW\n`, rule: 'mapping-undefined-stage', at: 'SPEC: SPEC_REVEIW', fix: /SPEC_REVIEW/ },
  { name: 'absolute artifact path', text: replace('artifacts: [feature_spec.md]', 'artifacts: [/etc/passwd]'), rule: 'unsafe-path', at: 'artifacts: [/etc/passwd]', message: /absolute/ },
  { name: 'prompt_template escaping with ..', text: replace('SETUP: { work_agent: pm }', 'SETUP: { work_agent: pm, prompt_template: ../../secrets.md }'), rule: 'unsafe-path', at: 'prompt_template', message: /"\.\."/ },
  { name: 'group with one stage', text: valid.replace('stages: [RESEARCH, TEST_STRATEGY]\n    before: PLAN', 'stages: [RESEARCH]\n    before: TEST_STRATEGY'), rule: 'group-too-small', at: 'stages: [RESEARCH]' },
  { name: 'group names an undefined stage', text: valid.replace('stages: [RESEARCH, TEST_STRATEGY]', 'stages: [RESEARCH, TEST_STRATEGY, SECURITY_AUDIT]'), rule: 'group-undefined-stage', at: 'SECURITY_AUDIT]', subject: 'group post_spec_review' },
  {
    name: 'review stage in a group',
    text: stagesBlock + 'stage_order: [SETUP, SPEC, RESEARCH, SPEC_REVIEW, TEST_STRATEGY, PLAN, ACCEPTANCE_TEST, COMPLETE]\n'
      + 'parallel_groups:\n  g:\n    after: SPEC\n    stages: [RESEARCH, SPEC_REVIEW, TEST_STRATEGY]\n    before: PLAN\n',
    rule: 'group-review-stage', at: 'stages: [RESEARCH, SPEC_REVIEW', message: /is_review_stage/,
  },
  {
    name: 'acceptance-test stage in a group',
    text: stagesBlock + 'stage_order: [SETUP, SPEC, SPEC_REVIEW, RESEARCH, TEST_STRATEGY, ACCEPTANCE_TEST, PLAN, COMPLETE]\n'
      + 'parallel_groups:\n  g:\n    after: SPEC_REVIEW\n    stages: [RESEARCH, TEST_STRATEGY, ACCEPTANCE_TEST]\n    before: PLAN\n',
    rule: 'group-acceptance-stage', at: 'ACCEPTANCE_TEST]', message: /is_acceptance_test_stage/,
  },
  {
    name: 'stage in two groups',
    text: `${valid}  second:\n    after: SPEC_REVIEW\n    stages: [TEST_STRATEGY, RESEARCH]\n    before: PLAN\n`,
    rule: 'group-stage-in-two-groups', at: 'stages: [TEST_STRATEGY, RESEARCH]', subject: 'group second',
  },
  { name: 'two stages of a group share a work_agent', text: replace('TEST_STRATEGY: { work_agent: builder-2 }', 'TEST_STRATEGY: { work_agent: builder-1 }'), rule: 'group-shared-agent', at: 'stages: [RESEARCH, TEST_STRATEGY]', message: /share one agent session/ },
  { name: '`after` is not the stage right before the group', text: valid.replace('after: SPEC_REVIEW', 'after: SPEC'), rule: 'group-after-mismatch', at: 'after: SPEC', fix: /set after: SPEC_REVIEW/ },
  { name: '`before` is not the stage right after the group', text: valid.replace('before: PLAN', 'before: COMPLETE'), rule: 'group-before-mismatch', at: 'before: COMPLETE', fix: /set before: PLAN/ },
  { name: 'group stages not contiguous', text: valid.replace('RESEARCH, TEST_STRATEGY, PLAN,', 'RESEARCH, PLAN, TEST_STRATEGY,'), rule: 'group-not-contiguous', at: 'stages: [RESEARCH, TEST_STRATEGY]', message: /PLAN sits between them/ },
  { name: 'stage name not an identifier', text: replace('  PLAN: { work_agent: pm }', '  PLAN: { work_agent: pm }\n  deploy: { work_agent: pm }'), rule: 'invalid-name', at: 'deploy:', fix: /DEPLOY/ },
  { name: 'on_failure misspelt', text: valid.replace('before: PLAN', 'before: PLAN\n    on_failure: fail_fats'), rule: 'invalid-value', at: 'on_failure: fail_fats', fix: /did you mean "fail_fast"/ },
  { name: 'max_iterations on a work stage', text: replace('PLAN: { work_agent: pm }', 'PLAN: { work_agent: pm, max_iterations: 3 }'), rule: 'review-only-field', at: 'max_iterations: 3' },
  { name: 'max_iterations below 1', text: replace('review_agent: reviewer }', 'review_agent: reviewer, max_iterations: 0 }'), rule: 'out-of-range', at: 'max_iterations: 0', message: /at least 1/ },
  { name: 'acceptance_test_command on a work stage', text: replace('PLAN: { work_agent: pm }', 'PLAN: { work_agent: pm, acceptance_test_command: [npm, test] }'), rule: 'acceptance-only-field', at: 'acceptance_test_command' },
  { name: 'acceptance gate without an acceptance stage before it', text: replace('PLAN: { work_agent: pm }', 'PLAN: { work_agent: pm, requires_acceptance_tests_passed: true }'), rule: 'acceptance-stage-missing', at: 'PLAN: {' },
  { name: 'stage_order empty', text: valid.replace(/^stage_order: .*$/m, 'stage_order: []'), rule: 'out-of-range', at: 'stage_order: []', message: /^"stage_order" must not be empty: it must list at least 1 entry$/ },
  { name: 'stages is a list', text: `stages: [SETUP]\n${orderLine}`, rule: 'wrong-type', at: 'stages: [SETUP]' },
];

describe('stages.yaml validation', () => {
  it('accepts the small valid workflow', () => {
    const { config, issues } = validate(valid);
    expect(issues).toEqual([]);
    expect(config?.parallel_groups.post_spec_review?.on_failure).toBe('let_finish');
    expect(config?.stages.SPEC_REVIEW?.max_iterations).toBe(4);
    expect(config?.stages.PLAN?.max_iterations).toBeUndefined();
    expect(config?.stages.SETUP?.name).toBe('SETUP');
  });

  it.each(cases)('$name → $rule', (testCase) => {
    const { config, issues } = validate(testCase.text);
    expect(config).toBeUndefined();
    const issue = issues.find((candidate) => candidate.rule === testCase.rule);
    expect(issue, `rules reported: ${issues.map((candidate) => candidate.rule).join(', ')}`).toBeDefined();
    expect(issue!.file).toBe('stages.yaml');
    expect(issue!.line).toBe(lineOf(testCase.text, testCase.at));
    expect(issue!.column).toBeGreaterThan(0);
    expect(issue!.fix.length).toBeGreaterThan(10);
    if (testCase.subject) expect(issue!.subject).toBe(testCase.subject);
    if (testCase.message) expect(issue!.message).toMatch(testCase.message);
    if (testCase.fix) expect(issue!.fix).toMatch(testCase.fix);
  });

  it('names a duplicate key and the line of its first occurrence, in block and flow mappings', () => {
    const text = replace('  PLAN: { work_agent: pm }', '  PLAN: { work_agent: pm }\n  PLAN: { work_agent: ba, work_agent: pm }');
    const duplicates = validate(text).issues.filter((issue) => issue.rule === 'duplicate-key');
    expect(duplicates.map(({ line, message }) => ({ line, message }))).toEqual([
      { line: lineOf(text, 'PLAN: { work_agent: ba'), message: `duplicate key "PLAN": first defined on line ${lineOf(text, 'PLAN: { work_agent: pm }')}` },
      { line: lineOf(text, 'PLAN: { work_agent: ba'), message: `duplicate key "work_agent": first defined on line ${lineOf(text, 'PLAN: { work_agent: ba')}` },
    ]);
    expect(duplicates[1]!.column).toBeGreaterThan(duplicates[0]!.column);
    for (const issue of duplicates) expect(issue.fix).toMatch(/keep one of the two entries/);
  });

  it('reports every violation at once, across stages, order and groups', () => {
    const text = valid
      .replace('SETUP: { work_agent: pm }', 'SETUP: { work_agnet: pm }')
      .replace('TEST_STRATEGY, PLAN,', 'TEST_STRATEGY, PLANN,')
      .replace('after: SPEC_REVIEW', 'after: SPEC');
    const rules = validate(text).issues.map((issue) => issue.rule);
    expect(rules).toEqual(expect.arrayContaining(['unknown-field', 'stage-order-undefined', 'group-after-mismatch']));
  });

  it('skips agent rules when no teambot.json is given', () => {
    const text = replace('PLAN: { work_agent: pm }', 'PLAN: { work_agent: security-auditor }');
    expect(validate(text, false).issues).toEqual([]);
    expect(validate(text, true).issues.map((issue) => issue.rule)).toEqual(['unknown-agent']);
  });

  it('accepts new stage names and several groups without code changes', () => {
    const text = readFileSync(new URL('../fixtures/custom-stages.yaml', import.meta.url), 'utf8');
    const { config, issues } = validate(text);
    expect(issues).toEqual([]);
    expect(Object.keys(config!.parallel_groups)).toEqual(['checks', 'ship']);
    expect(config!.parallel_groups.checks!.on_failure).toBe('fail_fast');
  });

  it('reports a missing stage_order alone, without follow-on problems about positions', () => {
    const { issues } = validate(stagesBlock + groupBlock);
    expect(issues.map((issue) => issue.rule)).toEqual(['missing-field']);
    expect(issues[0]!.message).toBe('missing required field "stage_order"');
  });

  it('treats an empty list written as a bare key as empty', () => {
    const text = replace('artifacts: [feature_spec.md]', 'artifacts: null');
    expect(validate(text).config?.stages.SPEC?.artifacts).toEqual([]);
  });
});
