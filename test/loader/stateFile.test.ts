import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, type InputIssue } from '../../loader/inputIssue.js';
import { loadConfiguration } from '../../loader/loadConfiguration.js';
import { readStateFile } from '../../loader/readStateFile.js';
import type { StagesConfig } from '../../loader/stagesSchema.js';
import type { LoadedRunState } from '../../loader/stateFile.js';

const fixturesDir = new URL('../fixtures/teambot/state/', import.meta.url);
const COMPLETE_FIXTURES = ['copilot-sdk.json', 'notification-ux-improvements.json', 'remove-overlay.json', 'runtime-validator-agent.json', 'startup-animation.json'];
const WORKING_STAGES = [
  'SETUP', 'BUSINESS_PROBLEM', 'SPEC', 'SPEC_REVIEW', 'RESEARCH', 'TEST_STRATEGY', 'PLAN', 'PLAN_REVIEW',
  'IMPLEMENTATION', 'IMPLEMENTATION_REVIEW', 'TEST', 'ACCEPTANCE_TEST', 'POST_REVIEW',
];

interface TeamBotState {
  objective_file: string;
  feature_name: string;
  elapsed_seconds: number;
  stages_config_source: string;
  stage_outputs: Record<string, string>;
  acceptance_test_history: Record<string, unknown>[];
  [field: string]: unknown;
}

let dir: string;
let stages: StagesConfig;
let fileCount = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'teambot-state-'));
  const emptyCwd = join(dir, 'cwd');
  await mkdir(emptyCwd);
  stages = (await loadConfiguration({ cwd: emptyCwd })).stages;
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Copies a TeamBot fixture into the temp dir (never touching /work/shared) and returns the copy's path. */
async function copyFixture(name: string): Promise<string> {
  const path = join(dir, `${fileCount++}-${name}`);
  await copyFile(new URL(name, fixturesDir), path);
  return path;
}

async function fixtureJson(name: string): Promise<TeamBotState> {
  return JSON.parse(await readFile(new URL(name, fixturesDir), 'utf8')) as TeamBotState;
}

/** Writes a state file (JSON text, indented like TeamBot's, or raw bytes) and returns its path. */
async function writeState(content: object | string | Buffer): Promise<string> {
  const path = join(dir, `${fileCount++}-orchestration_state.json`);
  await writeFile(path, typeof content === 'string' || Buffer.isBuffer(content) ? content : JSON.stringify(content, null, 2));
  return path;
}

async function refusal(path: string): Promise<InputIssue> {
  const error: unknown = await readStateFile(path, stages).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(InputError);
  const { issues } = error as InputError;
  expect(issues.length).toBeGreaterThan(0);
  return issues[0]!;
}

/** 1-based line of the first line containing `marker`. */
function lineOf(text: string, marker: string): number {
  const line = text.split('\n').findIndex((candidate) => candidate.includes(marker)) + 1;
  expect(line, `marker ${marker}`).toBeGreaterThan(0);
  return line;
}

const completedStages = (state: LoadedRunState) => Object.keys(state.completed);
const stagesBefore = (stage: string) => stages.stage_order.slice(0, stages.stage_order.indexOf(stage));

describe('TeamBot state files (fixtures)', () => {
  it('the fixture directory holds the six files these tests describe', async () => {
    const names = (await readdir(fixturesDir)).filter((name) => name.endsWith('.json')).sort();
    expect(names).toEqual([...COMPLETE_FIXTURES, 'shared-context.json'].sort());
  });

  it.each(COMPLETE_FIXTURES)('%s: a complete run → all 13 working stages completed with their outputs', async (name) => {
    const json = await fixtureJson(name);
    const state = await readStateFile(await copyFixture(name), stages);

    expect(state.schemaVersion).toBe(1);
    expect(state.status).toBe('complete');
    expect(state.currentStage).toBe('COMPLETE');
    expect(state.featureName).toBe(json.feature_name);
    expect(state.objectiveFile).toBe(json.objective_file);
    expect(state.stagesConfigSource).toBe('/workspaces/teambot/stages.yaml');
    expect(state.elapsedSeconds).toBe(json.elapsed_seconds);
    expect(state.maxSeconds).toBe(28800);
    expect(state.machine).toBeUndefined();
    expect(state.stagesConfigHash).toBeUndefined();
    for (const stage of WORKING_STAGES) {
      expect(state.completed[stage]?.output, stage).toBe(json.stage_outputs[stage]);
      expect(state.completed[stage]?.output?.length, stage).toBeGreaterThan(0);
    }
    expect(state.completed.COMPLETE).toEqual({});
    expect(completedStages(state).sort()).toEqual([...stages.stage_order].sort());
    expect(Object.values(state.stageStatus).every((entry) => entry.status === 'completed')).toBe(true);
    expect(state.acceptancePassed).toBe(true);
    expect(state.acceptanceHistory.at(-1)).toMatchObject({ failed: 0 });
  });

  it('keeps only iteration/passed/failed/total of each acceptance round', async () => {
    const json = await fixtureJson('startup-animation.json');
    const state = await readStateFile(await copyFixture('startup-animation.json'), stages);
    expect(json.acceptance_test_history[0]).toHaveProperty('fix_summary');
    expect(state.acceptanceHistory).toEqual([
      { iteration: 1, passed: 0, failed: 8, total: 8 },
      { iteration: 2, passed: 8, failed: 0, total: 8 },
    ]);
    expect(state.acceptanceIterations).toBe(2);
  });

  it('shared-context.json: stopped at ACCEPTANCE_TEST → it re-runs despite its output; everything before is done', async () => {
    const json = await fixtureJson('shared-context.json');
    expect(json.stage_outputs.ACCEPTANCE_TEST).toBeDefined();
    const state = await readStateFile(await copyFixture('shared-context.json'), stages);

    expect(state.status).toBe('acceptance_test_failed');
    expect(state.currentStage).toBe('ACCEPTANCE_TEST');
    expect(completedStages(state)).toEqual(stagesBefore('ACCEPTANCE_TEST'));
    expect(state.completed.ACCEPTANCE_TEST).toBeUndefined();
    expect(state.completed.TEST?.output).toBe(json.stage_outputs.TEST);
    expect(state.stageStatus.ACCEPTANCE_TEST).toEqual({ status: 'failed' });
    expect(state.stageStatus.POST_REVIEW).toEqual({ status: 'pending' });
    expect(state.stageStatus.COMPLETE).toEqual({ status: 'pending' });
    expect(state.acceptancePassed).toBe(false);
    expect(state.acceptanceIterations).toBe(4);
    expect(state.acceptanceHistory.map((round) => round.passed)).toEqual([1, 2, 1, 1]);
  });

  it('notification-ux-improvements.json: its group flags decide the group when TeamBot stopped at the group', async () => {
    const json = await fixtureJson('notification-ux-improvements.json');
    const asWritten = await readStateFile(await copyFixture('notification-ux-improvements.json'), stages);
    expect(asWritten.stageStatus.RESEARCH).toEqual({ status: 'completed' });
    expect(asWritten.stageStatus.TEST_STRATEGY).toEqual({ status: 'completed' });

    // TeamBot leaves current_stage at the group's first stage until the whole group succeeded.
    const stoppedAtGroup = await readStateFile(await writeState({ ...json, current_stage: 'RESEARCH', status: 'error' }), stages);
    expect(stoppedAtGroup.completed.RESEARCH?.output).toBe(json.stage_outputs.RESEARCH);
    expect(stoppedAtGroup.completed.TEST_STRATEGY?.output).toBe(json.stage_outputs.TEST_STRATEGY);
    expect(stoppedAtGroup.completed.PLAN).toBeUndefined();
    expect(stoppedAtGroup.stageStatus.PLAN).toEqual({ status: 'pending' });
  });
});

describe('TeamBot state files (hand-written shapes)', () => {
  it('mid-run at PLAN with no outputs: every stage before PLAN is done, PLAN is not', async () => {
    const state = await readStateFile(await writeState({
      objective_file: 'docs/objectives/dark-mode.md', feature_name: 'dark-mode',
      current_stage: 'PLAN', status: 'in_progress', stage_outputs: {},
    }), stages);
    expect(completedStages(state)).toEqual(['SETUP', 'BUSINESS_PROBLEM', 'SPEC', 'SPEC_REVIEW', 'RESEARCH', 'TEST_STRATEGY']);
    expect(Object.values(state.completed).every((entry) => entry.output === undefined)).toBe(true);
    expect(state.stageStatus.PLAN).toEqual({ status: 'in_progress' });
    expect(state.stageStatus.PLAN_REVIEW).toEqual({ status: 'pending' });
    expect(state.stageStatus.SPEC).toEqual({ status: 'completed' });
    // Defaults for what early TeamBot versions did not write.
    expect(state.elapsedSeconds).toBe(0);
    expect(state.maxSeconds).toBe(28800);
    expect(state.stagesConfigSource).toBe('');
    expect(state.acceptanceIterations).toBe(0);
    expect(state.acceptanceHistory).toEqual([]);
    expect(state.error).toBeNull();
  });

  it('the seed\'s shape, PARALLEL_GROUP:post_spec: matched to post_spec_review by its stages; the output comes from the flag', async () => {
    const state = await readStateFile(await writeState({
      current_stage: 'PARALLEL_GROUP:post_spec',
      parallel_group_status: {
        group_name: 'post_spec',
        stages: {
          RESEARCH: { status: 'complete', output: 'research notes' },
          TEST_STRATEGY: { status: 'in_progress', output: null },
        },
      },
      status: 'in_progress',
      stage_outputs: { SPEC: 'the spec', SPEC_REVIEW: 'VERIFIED_APPROVED: fine' },
    }), stages);
    expect(state.currentStage).toBe('PARALLEL_GROUP:post_spec_review');
    expect(state.completed.RESEARCH).toEqual({ output: 'research notes' });
    expect(state.completed.TEST_STRATEGY).toBeUndefined();
    expect(state.completed.SPEC_REVIEW).toEqual({ output: 'VERIFIED_APPROVED: fine' });
    expect(state.completed.SETUP).toEqual({});
    expect(state.completed.PLAN).toBeUndefined();
    expect(state.stageStatus.RESEARCH).toEqual({ status: 'completed' });
    expect(state.stageStatus.TEST_STRATEGY).toEqual({ status: 'in_progress' });
    expect(state.stageStatus.PLAN).toEqual({ status: 'pending' });
  });

  it('TeamBot\'s group flags with TEST_STRATEGY failed: RESEARCH is kept, TEST_STRATEGY re-runs', async () => {
    const outputs = Object.fromEntries(['SETUP', 'BUSINESS_PROBLEM', 'SPEC', 'SPEC_REVIEW', 'RESEARCH'].map((stage) => [stage, `${stage} output`]));
    const state = await readStateFile(await writeState({
      objective_file: 'docs/objectives/dark-mode.md', feature_name: 'dark-mode',
      current_stage: 'RESEARCH', status: 'error', elapsed_seconds: 812.5, max_seconds: 7200,
      stages_config_source: '/workspaces/teambot/stages.yaml',
      stage_outputs: outputs,
      parallel_group_status: {
        post_spec_review: {
          stages: {
            RESEARCH: { status: 'completed', error: null },
            TEST_STRATEGY: { status: 'failed', error: 'copilot exited with code 1' },
          },
        },
      },
    }), stages);
    expect(state.currentStage).toBe('RESEARCH');
    expect(state.completed.RESEARCH).toEqual({ output: 'RESEARCH output' });
    expect(state.completed.SPEC_REVIEW).toEqual({ output: 'SPEC_REVIEW output' });
    expect(state.completed.TEST_STRATEGY).toBeUndefined();
    expect(state.completed.PLAN).toBeUndefined();
    expect(state.stageStatus.TEST_STRATEGY).toEqual({ status: 'failed', error: 'copilot exited with code 1' });
    expect(state.stageStatus.RESEARCH).toEqual({ status: 'completed' });
    expect(state.elapsedSeconds).toBe(812.5);
    expect(state.maxSeconds).toBe(7200);
  });

  it('inside the group the flags decide, even for a group stage that stage_order puts before current_stage', async () => {
    const state = await readStateFile(await writeState({
      current_stage: 'TEST_STRATEGY', status: 'cancelled',
      stage_outputs: { TEST_STRATEGY: 'strategy' },
      parallel_group_status: { post_spec_review: { stages: {
        RESEARCH: { status: 'failed', error: 'timed out' },
        TEST_STRATEGY: { status: 'completed', error: null },
      } } },
    }), stages);
    expect(completedStages(state)).toEqual(['SETUP', 'BUSINESS_PROBLEM', 'SPEC', 'SPEC_REVIEW', 'TEST_STRATEGY']);
    expect(state.completed.TEST_STRATEGY).toEqual({ output: 'strategy' });
    expect(state.stageStatus.RESEARCH).toEqual({ status: 'failed', error: 'timed out' });
  });

  it('without flags, a group stage before current_stage is done (TeamBot before parallel groups ran them in order)', async () => {
    const state = await readStateFile(await writeState({ current_stage: 'TEST_STRATEGY', status: 'in_progress' }), stages);
    expect(state.completed.RESEARCH).toEqual({});
    expect(state.completed.TEST_STRATEGY).toBeUndefined();
    expect(state.stageStatus.TEST_STRATEGY).toEqual({ status: 'in_progress' });
  });
});

describe('teambot state files (schema_version 2)', () => {
  const v2 = {
    schema_version: 2,
    objective_file: 'objectives/dark-mode.md',
    feature_name: 'dark-mode',
    stages_config_source: 'built-in',
    stages_config_hash: 'a'.repeat(64),
    stages_config_fingerprint: { stage_order: ['SETUP', 'COMPLETE'], stages: { SETUP: '0123456789ab' }, parallel_groups: {} },
    current_stage: 'PARALLEL_GROUP:post_spec_review',
    status: 'error',
    elapsed_seconds: 42.5,
    max_seconds: 3600,
    stage_outputs: { SETUP: 'ready', SPEC: 'the spec', RESEARCH: 'notes' },
    parallel_group_status: {
      post_spec_review: { stages: { RESEARCH: { status: 'completed', error: null }, TEST_STRATEGY: { status: 'failed', error: 'boom' } } },
    },
    acceptance_tests_passed: false,
    acceptance_test_iterations: 0,
    acceptance_test_history: [],
    stages: {
      SETUP: { status: 'completed', duration_ms: 1200 },
      BUSINESS_PROBLEM: { status: 'skipped' },
      SPEC: { status: 'completed', duration_ms: 5000 },
      SPEC_REVIEW: { status: 'completed' },
      RESEARCH: { status: 'completed', duration_ms: 300 },
      TEST_STRATEGY: { status: 'failed', duration_ms: 250, error: 'boom' },
      PLAN: { status: 'pending' },
    },
    error: 'TEST_STRATEGY failed: boom',
    updated_at: '2025-01-01T00:00:00.000Z',
    machine: { status: 'active', value: 'halted', context: { status: 'error', stages: { SETUP: { status: 'completed' } } }, children: {} },
  };

  it('round-trips into LoadedRunState: completed from `stages`, outputs from stage_outputs, the machine with its outputs back', async () => {
    const path = await writeState(v2);
    const state = await readStateFile(path, stages);
    expect(state).toEqual({
      path,
      schemaVersion: 2,
      objectiveFile: 'objectives/dark-mode.md',
      featureName: 'dark-mode',
      stagesConfigSource: 'built-in',
      stagesConfigHash: 'a'.repeat(64),
      stagesConfigFingerprint: v2.stages_config_fingerprint,
      currentStage: 'PARALLEL_GROUP:post_spec_review',
      status: 'error',
      elapsedSeconds: 42.5,
      maxSeconds: 3600,
      completed: { SETUP: { output: 'ready' }, SPEC: { output: 'the spec' }, SPEC_REVIEW: {}, RESEARCH: { output: 'notes' } },
      stageStatus: v2.stages,
      acceptancePassed: false,
      acceptanceIterations: 0,
      acceptanceHistory: [],
      error: 'TEST_STRATEGY failed: boom',
      // Outputs are stored once, in stage_outputs; reading puts them back into the snapshot.
      machine: { ...v2.machine, context: { status: 'error', stages: { SETUP: { status: 'completed', output: 'ready' } } } },
    });
  });

  it('reports schema problems of a v2 file with their position', async () => {
    const { feature_name: _featureName, ...withoutFeature } = v2;
    const missing = await refusal(await writeState(withoutFeature));
    expect(missing.rule).toBe('missing-field');
    expect(missing.message).toMatch(/"feature_name"/);

    const text = JSON.stringify({ ...v2, elapsed_seconds: 'soon' }, null, 2);
    const wrongType = await refusal(await writeState(text));
    expect(wrongType.rule).toBe('wrong-type');
    expect(wrongType.line).toBe(lineOf(text, '"soon"'));
  });

  it.each([
    ['elapsed_seconds', '-1', /"elapsed_seconds" must be at least 0, not -1/],
    ['max_seconds', '-1', /"max_seconds" must be more than 0, not -1/],
    ['max_seconds', '0', /"max_seconds" must be more than 0, not 0/],
    ['max_seconds', '1e400', /"max_seconds" must be a number, not an infinite number/],
    ['elapsed_seconds', '1e12', /"elapsed_seconds" must be at most 315360000, not 1000000000000/],
  ])('refuses a hand-edited %s of %s at its line, instead of showing it as a time', async (field, value, message) => {
    const text = JSON.stringify(v2, null, 2).replace(new RegExp(`"${field}": [^,]+`), `"${field}": ${value}`);
    const issue = await refusal(await writeState(text));
    expect(issue).toMatchObject({ line: lineOf(text, `"${field}"`), fix: expect.stringMatching(/\S/) });
    expect(issue.message).toMatch(message);
  });

  it('refuses a v2 file naming a stage the configuration lacks', async () => {
    const text = JSON.stringify({ ...v2, stages: { ...v2.stages, DEPLOY: { status: 'pending' } } }, null, 2);
    const issue = await refusal(await writeState(text));
    expect(issue.rule).toBe('state-stage-missing');
    expect(issue.line).toBe(lineOf(text, '"DEPLOY"'));
  });

  it('refuses a v2 current_stage that is neither a stage nor a configured group', async () => {
    const text = JSON.stringify({ ...v2, current_stage: 'PARALLEL_GROUP:post_spec' }, null, 2);
    const issue = await refusal(await writeState(text));
    expect(issue.rule).toBe('state-unknown-stage');
    expect(issue.line).toBe(lineOf(text, '"current_stage"'));
    expect(issue.fix).toMatch(/did you mean "PARALLEL_GROUP:post_spec_review"/);
  });
});

describe('refusals', () => {
  it('a truncated file (a crash mid-write) → state-corrupt at the end, and the file is left as it was', async () => {
    const text = await readFile(new URL('shared-context.json', fixturesDir), 'utf8');
    const half = text.slice(0, Math.floor(text.length / 2));
    const path = await writeState(half);
    const issue = await refusal(path);
    expect(issue.rule).toBe('state-corrupt');
    expect(issue.message).toMatch(/corrupt or truncated.*nothing was changed/);
    expect(issue.fix).toMatch(/new run/);
    expect(issue.line).toBe(half.split('\n').length);
    expect(await readFile(path, 'utf8')).toBe(half);
  });

  it('an empty file → state-corrupt at 1:1', async () => {
    const issue = await refusal(await writeState(''));
    expect(issue.rule).toBe('state-corrupt');
    expect([issue.line, issue.column]).toEqual([1, 1]);
  });

  it('bytes that are not UTF-8, even inside a string → state-corrupt at their line', async () => {
    const text = await readFile(new URL('copilot-sdk.json', fixturesDir), 'utf8');
    const bytes = Buffer.from(text.replace('"feature_name": "copilot-sdk"', '"feature_name": "copilot\u0001sdk"'));
    bytes[bytes.indexOf(1)] = 0xff;
    const issue = await refusal(await writeState(bytes));
    expect(issue.rule).toBe('state-corrupt');
    expect(issue.line).toBe(lineOf(text, '"feature_name"'));
    expect(issue.column).toBe('  "feature_name": "copilot'.length + 1);
  });

  it('NUL bytes → state-corrupt at their line', async () => {
    const text = await readFile(new URL('remove-overlay.json', fixturesDir), 'utf8');
    const corrupted = text.replace('"status": "complete"', '"status": "\u0000\u0000\u0000"');
    const issue = await refusal(await writeState(corrupted));
    expect(issue.rule).toBe('state-corrupt');
    expect(issue.line).toBe(lineOf(text, '"status": "complete"'));
  });

  it('an unknown current_stage → state-unknown-stage at its value, suggesting the nearest stage', async () => {
    const text = JSON.stringify({ feature_name: 'x', current_stage: 'PLANN', status: 'in_progress', stage_outputs: {} }, null, 2);
    const issue = await refusal(await writeState(text));
    expect(issue.rule).toBe('state-unknown-stage');
    expect(issue.line).toBe(lineOf(text, '"PLANN"'));
    expect(issue.column).toBe('  "current_stage": '.length + 1);
    expect(issue.fix).toMatch(/did you mean "PLAN"/);
  });

  it('PARALLEL_GROUP:<name> matching no group by name or by stages → state-unknown-stage', async () => {
    const text = JSON.stringify({
      current_stage: 'PARALLEL_GROUP:reviews', status: 'in_progress',
      parallel_group_status: { reviews: { stages: { PLAN_REVIEW: { status: 'completed', error: null } } } },
    }, null, 2);
    const issue = await refusal(await writeState(text));
    expect(issue.rule).toBe('state-unknown-stage');
    expect(issue.line).toBe(lineOf(text, '"current_stage"'));
  });

  it('a stage_outputs key the configuration lacks → state-stage-missing at the key, pointing at --stages', async () => {
    const json = await fixtureJson('runtime-validator-agent.json');
    const text = JSON.stringify({ ...json, stage_outputs: { ...json.stage_outputs, DEPLOY: 'deployed' } }, null, 2);
    const issue = await refusal(await writeState(text));
    expect(issue.rule).toBe('state-stage-missing');
    expect(issue.subject).toBe('stage DEPLOY');
    expect(issue.line).toBe(lineOf(text, '"DEPLOY"'));
    expect(issue.fix).toMatch(/--stages <file>.*\/workspaces\/teambot\/stages\.yaml/);
  });

  it('a group flag for a stage the configuration lacks → state-stage-missing', async () => {
    const text = JSON.stringify({
      current_stage: 'PLAN', status: 'in_progress',
      parallel_group_status: { post_spec_review: { stages: { SECURITY_AUDIT: { status: 'completed', error: null } } } },
    }, null, 2);
    const issue = await refusal(await writeState(text));
    expect(issue.rule).toBe('state-stage-missing');
    expect(issue.line).toBe(lineOf(text, '"SECURITY_AUDIT"'));
  });

  it('an unknown status → state-invalid at the status, with the allowed values', async () => {
    const text = JSON.stringify({ current_stage: 'PLAN', status: 'paused' }, null, 2);
    const issue = await refusal(await writeState(text));
    expect(issue.rule).toBe('state-invalid');
    expect(issue.line).toBe(lineOf(text, '"paused"'));
    expect(issue.message).toMatch(/in_progress/);
  });

  it('a missing or wrong-typed current_stage, or no status → state-invalid', async () => {
    const missing = await refusal(await writeState({ status: 'in_progress' }));
    expect(missing.rule).toBe('state-invalid');
    expect(missing.message).toBe('missing required field "current_stage"; TeamBot always writes it');
    const noStatus = await refusal(await writeState({ current_stage: 'PLAN' }));
    expect(noStatus.rule).toBe('state-invalid');
    expect(noStatus.message).toMatch(/missing required field "status"/);
    const text = JSON.stringify({ status: 'in_progress', current_stage: 7 }, null, 2);
    const wrongType = await refusal(await writeState(text));
    expect(wrongType.rule).toBe('state-invalid');
    expect(wrongType.line).toBe(lineOf(text, '"current_stage": 7'));
  });

  it('schema_version 3 → state-newer-version', async () => {
    const text = JSON.stringify({ schema_version: 3, current_stage: 'PLAN', status: 'in_progress' }, null, 2);
    const issue = await refusal(await writeState(text));
    expect(issue.rule).toBe('state-newer-version');
    expect(issue.line).toBe(lineOf(text, '"schema_version"'));
    expect(issue.message).toBe('written by a newer teambot (schema_version 3; this version understands 2)');
    expect(issue.fix).toMatch(/upgrade teambot/);
  });

  it('schema_version "two" → state-invalid', async () => {
    const text = JSON.stringify({ current_stage: 'PLAN', status: 'in_progress', schema_version: 'two' }, null, 2);
    const issue = await refusal(await writeState(text));
    expect(issue.rule).toBe('state-invalid');
    expect(issue.line).toBe(lineOf(text, '"schema_version"'));
  });

  it('a JSON value that is not an object → state-invalid', async () => {
    const issue = await refusal(await writeState('[1, 2]\n'));
    expect(issue.rule).toBe('state-invalid');
    expect(issue.line).toBe(1);
  });

  it('a missing file → state-not-found', async () => {
    const issue = await refusal(join(dir, 'no-such-feature', 'orchestration_state.json'));
    expect(issue.rule).toBe('state-not-found');
    expect(issue.line).toBe(0);
  });

  it('a directory → unreadable', async () => {
    const issue = await refusal(dir);
    expect(issue.rule).toBe('unreadable');
    expect(issue.message).toMatch(/directory/);
  });
});
