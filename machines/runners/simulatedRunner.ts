import { lstatSync, mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, isAbsolute } from 'node:path';
import { unwritablePathReason, type Simulation, type StageSimulation } from '../../loader/simulationFile.js';
import { InputError } from '../../loader/inputIssue.js';
import { isInside, makePrivateDirectory, writeFileAtomically } from '../persistence/safeFiles.js';
import { longTimeout } from '../time/longTimeout.js';
import { AgentRunError, type AcceptanceResult, type AgentRunner, type AgentRunRequest, type AgentRunResult } from './agentRunner.js';

/** The first line of every artifact the simulation writes, so nobody mistakes it for real work. */
export const SIMULATED_MARKER = '<!-- simulated by teambot: no agent ran; this file is a placeholder -->';

/** The acceptance scenarios a simulated run reports; a failed round fails the last two. */
const SCENARIOS = ['AT-001', 'AT-002', 'AT-003', 'AT-004', 'AT-005'] as const;
const FAILING_SCENARIOS: readonly string[] = ['AT-004', 'AT-005'];

export interface SimulatedRunnerOptions {
  /** Waits `ms` or rejects when `signal` aborts; injected by tests to avoid real sleeps. */
  readonly wait?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * An in-process runner that pretends to be the agents: deterministic, driven by
 * a simulation file, writing placeholder artifacts marked as simulated. Used by
 * `--runner simulated`, the demo and tests of everything above the runner.
 *
 * @example
 * const runner = createSimulatedRunner({ default_ms: 0, stages: { SPEC_REVIEW: { verdicts: ['reject'], results: [] } } });
 * const { output } = await runner.run(request); // 'REJECTED: …' on iteration 1
 */
export function createSimulatedRunner(simulation: Simulation, options: SimulatedRunnerOptions = {}): AgentRunner {
  const wait = options.wait ?? abortableDelay;
  return {
    async run(request) {
      const { stage, agent, role, iteration, signal, onOutput } = request;
      const script = simulation.stages[stage];
      const ms = script?.ms ?? simulation.default_ms;
      signal.throwIfAborted();

      onOutput(`simulated ${agent}: working on ${stage} (${role}, iteration ${iteration})`);
      try {
        await wait(ms, signal);
      } catch (error) {
        throw signal.aborted ? signal.reason : error;
      }
      // An injected wait may resolve even though the signal aborted meanwhile.
      signal.throwIfAborted();

      if (script?.fail !== undefined) {
        onOutput(`simulated ${agent}: ${stage} failed: ${script.fail}`);
        throw new AgentRunError(script.fail, stage);
      }
      const result = simulateResult(request, script);
      const changed = request.role === 'work' || request.role === 'fix' ? writeProjectFiles(request, script?.writes ?? {}) : [];
      if (changed.length > 0) onOutput(`simulated ${agent}: ${changed.join(', ')}`);
      await writeArtifacts(request, result.output);
      onOutput(`simulated ${agent}: ${stage} done (${ms} ms${summaryOf(result)})`);
      return result;
    },
  };
}

/**
 * The default wait: a timer that rejects as soon as the signal aborts. longTimeout, not
 * setTimeout: a simulated call may last longer than a Node timer holds (24.8 days), and
 * setTimeout would fire such a delay at once, with a TimeoutOverflowWarning.
 */
function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      cancel();
      reject(signal.reason);
    };
    const done = () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    };
    // A timer of 0 ms waits a millisecond or more; a call that takes no time must not (benchmarks of pure orchestration use them).
    let cancel: () => void;
    if (ms <= 0) {
      const immediate = setImmediate(done);
      cancel = () => clearImmediate(immediate);
    } else {
      cancel = longTimeout(ms, done);
    }
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** What the pretend agent answers, by role. */
function simulateResult(request: AgentRunRequest, script: StageSimulation | undefined): AgentRunResult {
  switch (request.role) {
    case 'review':
      return { output: reviewOutput(request, script?.verdicts[request.iteration - 1] ?? 'approve') };
    case 'acceptance':
      return acceptanceOutput(request, script?.results[request.iteration - 1] ?? 'pass');
    case 'work':
    case 'fix':
      return { output: workOutput(request) };
  }
}

function reviewOutput({ stage, agent, iteration }: AgentRunRequest, verdict: 'approve' | 'reject'): string {
  if (verdict === 'approve') {
    return `VERIFIED_APPROVED: simulated review of ${stage} (iteration ${iteration}) by ${agent}. `
      + 'The work meets the stage\'s exit criteria; no changes requested.';
  }
  return [
    `REJECTED: simulated review of ${stage} (iteration ${iteration}) by ${agent} found gaps to fix:`,
    `- ${stage}: the success criteria are not measurable yet; give each one a number or an observable result.`,
    `- ${stage}: error handling for invalid input is not described; say what the user sees.`,
    `Revise and resubmit for iteration ${iteration + 1}.`,
  ].join('\n');
}

function acceptanceOutput({ stage, agent, iteration }: AgentRunRequest, result: 'pass' | 'fail'): AgentRunResult {
  const scenarios = SCENARIOS.map((id) => ({ id, passed: result === 'pass' || !FAILING_SCENARIOS.includes(id) }));
  const passed = scenarios.filter((scenario) => scenario.passed).length;
  const acceptance: AcceptanceResult = { passed, failed: scenarios.length - passed, total: scenarios.length, scenarios };
  const output = [
    `Simulated acceptance test run of ${stage} (round ${iteration}) by ${agent}:`,
    ...scenarios.map((scenario) => `${scenario.id}: ${scenario.passed ? 'passed' : 'FAILED (simulated failure)'}`),
    `Result: ${acceptance.passed}/${acceptance.total} passed, ${acceptance.failed} failed.`,
  ].join('\n');
  return { output, acceptance };
}

function workOutput({ stage, agent, role, iteration, artifacts }: AgentRunRequest): string {
  const did = role === 'fix'
    ? `pretended to fix the failing acceptance scenarios of ${stage}`
    : `pretended to do the work of ${stage}`;
  const wrote = artifacts.length > 0 ? ` and wrote placeholder artifacts: ${artifacts.join(', ')}` : '';
  return `Simulated ${role} on ${stage} by ${agent} (iteration ${iteration}): no agent ran; teambot ${did}${wrote}.`;
}

function summaryOf(result: AgentRunResult): string {
  if (result.acceptance) return `, ${result.acceptance.passed}/${result.acceptance.total} scenarios passed`;
  if (result.output.startsWith('REJECTED:')) return ', rejected';
  if (result.output.startsWith('VERIFIED_APPROVED:')) return ', approved';
  return '';
}

/**
 * Writes (or deletes, for null) the files the simulation gives the stage, in
 * the agent's working directory, as a real agent edits the project. The paths
 * were checked when the simulation was loaded (checkSimulationWrites); here a
 * symbolic link that leads out of the working directory fails the stage
 * instead of being followed.
 *
 * @returns what was done, one phrase per file ("wrote src/a.ts", "deleted b.txt")
 */
function writeProjectFiles(request: AgentRunRequest, writes: Readonly<Record<string, string | null>>): string[] {
  const root = realpathSync(request.cwd);
  return Object.entries(writes).map(([path, content]) => {
    const why = unwritablePathReason(path);
    if (why !== undefined) throw new AgentRunError(`cannot write ${path}: it ${why}`, request.stage);
    const target = resolve(root, path);
    // Checked before anything is created: the directories still to make cannot be links.
    if (!resolvesInside(existingAncestor(dirname(target)), root) || lstatSync(target, { throwIfNoEntry: false })?.isSymbolicLink()) {
      throw new AgentRunError(`cannot write ${path}: a symbolic link leads it out of the project`, request.stage);
    }
    try {
      mkdirSync(dirname(target), { recursive: true });
      if (content === null) rmSync(target, { force: true });
      else writeFileSync(target, content);
    } catch (error) {
      throw new AgentRunError(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, request.stage);
    }
    return content === null ? `deleted ${path}` : `wrote ${path}`;
  });
}

/** Whether `path` resolves (links followed) inside `root`; a dangling link does not. */
function resolvesInside(path: string, root: string): boolean {
  try {
    return isInside(realpathSync(path), root);
  } catch {
    return false;
  }
}

/** `directory`, or its nearest ancestor that exists. */
function existingAncestor(directory: string): string {
  let current = directory;
  while (!lstatSync(current, { throwIfNoEntry: false }) && dirname(current) !== current) current = dirname(current);
  return current;
}

/** Writes every artifact the stage must produce, as a marked placeholder (0600, never through a symbolic link). */
async function writeArtifacts(request: AgentRunRequest, output: string): Promise<void> {
  for (const name of request.artifacts) {
    const path = resolve(request.artifactsDir, name);
    const inside = relative(resolve(request.artifactsDir), path);
    if (!inside || inside.startsWith('..') || isAbsolute(inside)) {
      throw new AgentRunError(`artifact "${name}" is outside the artifacts directory`, request.stage);
    }
    request.signal.throwIfAborted();
    try {
      makePrivateDirectory(dirname(path), request.artifactsDir);
      writeFileAtomically(path, `${SIMULATED_MARKER}\n# ${request.stage}: ${name}\n\n${output}\n`, { root: request.artifactsDir, fsync: false });
    } catch (error) {
      // A link planted in artifacts/ fails the stage, naming it, as a real agent's would.
      if (error instanceof InputError) throw new AgentRunError(error.message, request.stage);
      throw error;
    }
  }
}
