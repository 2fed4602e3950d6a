import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinFiles } from '../../config/builtinFiles.js';
import { InputError, type InputIssue } from '../../loader/inputIssue.js';
import { loadConfiguration } from '../../loader/loadConfiguration.js';
import { checkSimulationStages, loadSimulationFile, parseSimulation } from '../../loader/simulationFile.js';
import type { StagesConfig } from '../../loader/stagesSchema.js';

let emptyDir: string;
let stages: StagesConfig;
beforeAll(async () => {
  emptyDir = await mkdtemp(join(tmpdir(), 'teambot-simfile-'));
  // No files in the directory: the built-in 14-stage workflow.
  stages = (await loadConfiguration({ cwd: emptyDir })).stages;
});
afterAll(async () => {
  await rm(emptyDir, { recursive: true, force: true });
});

/** The issues parseSimulation throws; fails the test when it does not throw an InputError. */
function issuesOf(text: string, options: { stages?: StagesConfig } = {}): readonly InputIssue[] {
  try {
    parseSimulation('sim.yaml', text, options);
  } catch (error) {
    if (error instanceof InputError) return error.issues;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('parseSimulation', () => {
  it('applies the defaults to an empty file and to empty entries', () => {
    expect(parseSimulation('sim.yaml', '')).toEqual({ default_ms: 200, stages: {} });
    expect(parseSimulation('sim.yaml', 'stages:\n  RESEARCH:\n')).toEqual({
      default_ms: 200, stages: { RESEARCH: { verdicts: [], results: [], writes: {} } },
    });
  });

  it('reads every field of the documented format', () => {
    const text = `default_ms: 50
stages:
  RESEARCH: { ms: 300 }
  TEST_STRATEGY: { ms: 3000, fail: "simulated failure" }
  SPEC_REVIEW: { verdicts: [reject, approve] }
  ACCEPTANCE_TEST: { results: [fail, pass] }
  IMPLEMENTATION: { writes: { src/a.ts: "a\\n", old.md: null } }
`;
    expect(parseSimulation('sim.yaml', text)).toEqual({
      default_ms: 50,
      stages: {
        RESEARCH: { ms: 300, verdicts: [], results: [], writes: {} },
        TEST_STRATEGY: { ms: 3000, fail: 'simulated failure', verdicts: [], results: [], writes: {} },
        SPEC_REVIEW: { verdicts: ['reject', 'approve'], results: [], writes: {} },
        ACCEPTANCE_TEST: { verdicts: [], results: ['fail', 'pass'], writes: {} },
        IMPLEMENTATION: { verdicts: [], results: [], writes: { 'src/a.ts': 'a\n', 'old.md': null } },
      },
    });
  });

  it('reads JSON too', () => {
    expect(parseSimulation('sim.json', '{ "default_ms": 0, "stages": { "PLAN": { "ms": 5 } } }').stages.PLAN?.ms).toBe(5);
  });

  it('reports an unknown field at its line with the nearest field name', () => {
    const issues = issuesOf('default_ms: 10\nstages:\n  RESEARCH:\n    mss: 300\n');
    expect(issues).toMatchObject([{ file: 'sim.yaml', line: 4, column: 5, rule: 'unknown-field', message: 'unknown field "mss"' }]);
    expect(issues[0]?.fix).toBe('did you mean "ms"?');
  });

  it('reports a misspelt top-level field with a suggestion', () => {
    const issues = issuesOf('stages: {}\ndefault_msec: 10\n');
    expect(issues).toMatchObject([{ line: 2, rule: 'unknown-field', fix: 'did you mean "default_ms"?' }]);
  });

  it('reports a wrong type at its line', () => {
    const issues = issuesOf('default_ms: 10\nstages:\n  RESEARCH: { ms: "slow" }\n');
    expect(issues).toMatchObject([{ line: 3, rule: 'wrong-type' }]);
    expect(issues[0]?.message).toContain('ms');
  });

  it('rejects a negative or fractional duration', () => {
    expect(issuesOf('default_ms: -1\n')).toMatchObject([{ line: 1, rule: 'out-of-range' }]);
    expect(issuesOf('default_ms: 1.5\n')).toMatchObject([{ line: 1, rule: 'wrong-type' }]);
  });

  it('caps durations at ten years and names infinite or NaN ones as such (1e400 is Infinity in YAML)', () => {
    expect(parseSimulation('sim.yaml', 'default_ms: 2147483648\n').default_ms).toBe(2_147_483_648);
    expect(issuesOf('default_ms: 315360000001\n')).toMatchObject([{
      line: 1, rule: 'out-of-range', message: '"default_ms" must be at most 315360000000, not 315360000001',
    }]);
    expect(issuesOf('stages:\n  SPEC: { ms: 1e12 }\n')).toMatchObject([{ line: 2, rule: 'out-of-range', message: '"stages.SPEC.ms" must be at most 315360000000, not 1000000000000' }]);
    for (const [text, described] of [['1e400', 'an infinite number'], ['-.inf', 'a negative infinite number'], ['.nan', 'NaN (not a number)']]) {
      const [issue, ...more] = issuesOf(`default_ms: ${text}\n`);
      expect(more).toEqual([]);
      expect(issue?.message).toContain(described);
      expect(issue?.message).not.toMatch(/number (Infinity|NaN)/);
      expect(issue?.fix).toMatch(/finite/);
    }
  });

  it('reports an invalid verdict at its line with the nearest allowed value', () => {
    const issues = issuesOf('stages:\n  SPEC_REVIEW:\n    verdicts:\n      - reject\n      - aprove\n');
    expect(issues).toMatchObject([{ line: 5, column: 9, rule: 'invalid-value', fix: 'did you mean "approve"?' }]);
  });

  it('reports every issue at once, each with file:line:col in the message', () => {
    const text = 'stages:\n  RESEARCH: { ms: -5 }\n  ACCEPTANCE_TEST: { results: [pass, failed] }\n';
    const issues = issuesOf(text);
    expect(issues.map((issue) => issue.line).sort()).toEqual([2, 3]);
    expect(() => parseSimulation('sim.yaml', text)).toThrow(/^sim\.yaml:2:\d+: [\s\S]*^sim\.yaml:3:\d+: /m);
  });

  it('reports a YAML syntax error at its line', () => {
    expect(issuesOf('stages:\n  RESEARCH: { ms: 3\n')).toMatchObject([{ rule: 'yaml-syntax' }]);
  });

  it('with the workflow, reports unknown stage names at their key with the nearest stage', () => {
    const issues = issuesOf('default_ms: 10\nstages:\n  RESEARCH: { ms: 5 }\n  TEST_STRATEGIE: { ms: 5 }\n', { stages });
    expect(issues).toMatchObject([{
      line: 4, column: 3, rule: 'simulation-unknown-stage', subject: 'stage TEST_STRATEGIE',
    }]);
    expect(issues[0]?.fix).toMatch(/did you mean "TEST_STRATEGY"\?/);
  });
});

describe('checkSimulationStages', () => {
  it('reports names outside the workflow at line 0 when no locator is given', () => {
    const simulation = parseSimulation('sim.yaml', 'stages:\n  PLAN: {}\n  DEPLOY: {}\n');
    const issues = checkSimulationStages(simulation, stages, 'sim.yaml');
    expect(issues).toMatchObject([{ file: 'sim.yaml', line: 0, rule: 'simulation-unknown-stage', subject: 'stage DEPLOY' }]);
  });

  it('accepts a simulation that names only workflow stages', () => {
    const simulation = parseSimulation('sim.yaml', 'stages:\n  PLAN: {}\n  COMPLETE: {}\n');
    expect(checkSimulationStages(simulation, stages, 'sim.yaml')).toEqual([]);
  });
});

describe('loadSimulationFile', () => {
  it('reports a missing file as simulation-not-found with a fix', async () => {
    const path = join(emptyDir, 'nope.yaml');
    const error = await loadSimulationFile(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues).toMatchObject([{ file: path, line: 0, rule: 'simulation-not-found' }]);
    expect((error as InputError).issues[0]?.fix).toMatch(/--simulate/);
  });

  it('loads the shipped demo, whose stages all exist in the built-in workflow', async () => {
    const path = join(builtinFiles.root, 'config', 'simulations', 'demo.yaml');
    const demo = await loadSimulationFile(path, { stages });
    expect(demo.default_ms).toBeGreaterThan(0);
    expect(demo.stages.SPEC_REVIEW?.verdicts).toEqual(['reject', 'approve']);
    expect(demo.stages.ACCEPTANCE_TEST?.results).toEqual(['fail', 'pass']);
    for (const name of Object.keys(demo.stages)) expect(stages.stage_order).toContain(name);
    expect(await readFile(path, 'utf8')).toMatch(/^# /);
  });
});
