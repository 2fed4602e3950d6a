import type { AcceptanceResult } from '../runners/agentRunner.js';

/** One scenario's result and, in words, why. */
export interface ScenarioVerdict {
  readonly id: string;
  readonly passed: boolean;
  readonly reason: string;
}

/** Acceptance counts plus a verdict with a reason for every scenario. */
export interface AcceptanceVerdict extends AcceptanceResult {
  readonly scenarios: readonly ScenarioVerdict[];
}

/** What running `acceptance_test_command` gave: its exit code and stdout+stderr interleaved. */
export interface AcceptanceRun {
  readonly exitCode: number;
  readonly output: string;
}

/** The scenario as the verdict needs it; a title helps ignore marker words inside it. */
export interface JudgedScenario {
  readonly id: string;
  readonly title?: string;
}

// Markers test runners print (vitest, jest, mocha, node:test, TAP, pytest -v). "not ok" holds
// "ok", which is harmless: a fail marker on any line of a scenario outweighs every pass.
const PASS_MARKER = /[✓✔√]|\b(?:PASS|PASSED|Passed|passed|ok)\b/;
// `Error` counts as a thrown error (`Error:`, `TypeError:`, `AssertionError`), not as a word
// in a title such as "shows an Error message".
const FAIL_MARKER = /[✗✘×]|\b(?:FAIL|FAILED|Failed|failed|not ok)\b|\b[A-Za-z]*Error:|\b[A-Za-z]+Error\b/;
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;
const QUOTE_LIMIT = 120;

interface Evidence {
  readonly id: string;
  readonly mentioned: boolean;
  readonly passLine: string | undefined;
  readonly failLine: string | undefined;
}

/**
 * Decides each scenario from a real run of the acceptance command, never from what an agent
 * said. A scenario passes only when a line of output names its id with a pass marker, no line
 * names it with a fail marker, and the command exited 0. When the command exited non-zero,
 * the passes stand only if the output blames the failure on some scenario; otherwise nothing
 * in the output explains the exit code and no pass is trusted.
 *
 * @example
 * judgeAcceptanceRun([{ id: 'AT-001' }, { id: 'AT-002' }], { exitCode: 1, output: '✓ AT-001 login\n✗ AT-002 logout' })
 * // { passed: 1, failed: 1, total: 2, scenarios: [{ id: 'AT-001', passed: true, … }, { id: 'AT-002', passed: false, reason: 'failed: "✗ AT-002 logout"' }] }
 */
export function judgeAcceptanceRun(scenarios: readonly JudgedScenario[], run: AcceptanceRun): AcceptanceVerdict {
  const lines = run.output.replace(ANSI, '').split(/\r\n|\r|\n/).map((line) => line.trim()).filter(Boolean);
  const evidence = scenarios.map((scenario) => evidenceFor(scenario, lines));
  const failureExplained = evidence.some((item) => item.failLine !== undefined);
  const verdicts = evidence.map((item) => decide(item, run.exitCode, failureExplained));
  const passed = verdicts.filter((verdict) => verdict.passed).length;
  return { passed, failed: verdicts.length - passed, total: verdicts.length, scenarios: verdicts };
}

/** The lines of output that name the scenario, sorted into the first pass and the first fail line. */
function evidenceFor(scenario: JudgedScenario, lines: readonly string[]): Evidence {
  const mentions = lines.filter((line) => mentionPattern(scenario.id).test(line));
  const markerText = (line: string) => withoutTitle(line, scenario.title);
  return {
    id: scenario.id,
    mentioned: mentions.length > 0,
    passLine: mentions.find((line) => PASS_MARKER.test(markerText(line)) && !FAIL_MARKER.test(markerText(line))),
    failLine: mentions.find((line) => FAIL_MARKER.test(markerText(line))),
  };
}

/** Matches `AT-001`, and the forms test names take: `AT_001`, `at001`, `test_at_001_login`. */
function mentionPattern(id: string): RegExp {
  const digits = id.replace(/^AT-/i, '');
  return new RegExp(`(?<![A-Za-z0-9])AT[-_]?${digits}(?![0-9])`, 'i');
}

/** The line with the scenario's title cut out, so "AT-004: retries failed uploads ✓" is a pass. */
function withoutTitle(line: string, title: string | undefined): string {
  if (!title || title.length < 3) return line;
  return line.replace(new RegExp(title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), ' ');
}

function decide(evidence: Evidence, exitCode: number, failureExplained: boolean): ScenarioVerdict {
  const { id, mentioned, passLine, failLine } = evidence;
  const fail = (reason: string): ScenarioVerdict => ({ id, passed: false, reason });
  if (failLine !== undefined) return fail(`failed: ${quote(failLine)}`);
  const exited = exitCode === 0 ? '' : ` (the command exited ${exitCode})`;
  if (!mentioned) return fail(`not run: no test output mentions ${id}${exited}`);
  if (passLine === undefined) return fail(`no result: the output mentions ${id} but never reports it passed${exited}`);
  if (exitCode !== 0 && !failureExplained) {
    return fail(`the command exited ${exitCode} although ${id} printed ${quote(passLine)}, and no scenario `
      + 'is reported failing, so the pass cannot be trusted; make the whole command succeed');
  }
  return { id, passed: true, reason: `passed: ${quote(passLine)}${exitCode === 0 ? '' : ` (the command exited ${exitCode} because of other scenarios)`}` };
}

function quote(line: string): string {
  return JSON.stringify(line.length > QUOTE_LIMIT ? `${line.slice(0, QUOTE_LIMIT - 1)}…` : line);
}
