import { createActor, fromPromise, waitFor } from 'xstate';
import type { AgentRunResult } from '../../machines/runners/agentRunner.js';
import { compileWorkflow, type CompileOptions } from '../../machines/workflow/compileWorkflow.js';
import type { RunInput } from '../../machines/workflow/runContext.js';
import type { StageAgentInput, WorkflowEmitted } from '../../machines/workflow/workflowSetup.js';
import type { StagesConfig } from '../../loader/stagesSchema.js';
import { validateStages } from '../../loader/validateStages.js';
import { parseYamlSource } from '../../loader/yamlSource.js';

/** How long a workflow with instant fake agents may take to finish, or to reach a condition: generous, never a pause. */
const FINISH_DEADLINE_MS = 5000;
const UNTIL_DEADLINE_MS = 5000;

/** Parses and validates stages.yaml text for a test, failing loudly on any issue. */
export function stagesFrom(text: string): StagesConfig {
  const { config, issues } = validateStages(parseYamlSource('stages.yaml', text), { source: 'test' });
  if (!config) throw new Error(issues.map((issue) => `${issue.line}: ${issue.message}`).join('\n'));
  return config;
}

/** One agent call the test controls: it stays pending until resolved or rejected. */
export interface PendingCall {
  readonly input: StageAgentInput;
  readonly signal: AbortSignal;
  resolve(result: AgentRunResult): void;
  reject(error: Error): void;
}

/**
 * Runs a compiled workflow with a fake stage agent. `respond` answers each call
 * at once (a result, an Error to fail, or 'hold' to keep it pending for the test).
 */
export function startWorkflow(
  config: StagesConfig,
  respond: (input: StageAgentInput) => AgentRunResult | Error | 'hold' = () => ({ output: 'ok' }),
  options: { input?: RunInput; compile?: CompileOptions } = {},
) {
  const calls: PendingCall[] = [];
  const emitted: WorkflowEmitted[] = [];
  const stageAgent = fromPromise<AgentRunResult, StageAgentInput>(({ input, signal }) =>
    new Promise<AgentRunResult>((resolve, reject) => {
      const call = { input, signal, resolve, reject };
      calls.push(call);
      const answer = respond(input);
      if (answer === 'hold') return;
      queueMicrotask(() => (answer instanceof Error ? reject(answer) : resolve(answer)));
    }));
  const machine = compileWorkflow(config, options.compile).provide({ actors: { stageAgent } });
  const actor = createActor(machine, { input: options.input ?? {} });
  actor.on('*', (event) => emitted.push(event as WorkflowEmitted));
  actor.start();
  const finished = () => waitFor(actor, (snapshot) => snapshot.status === 'done', { timeout: FINISH_DEADLINE_MS }).catch((error: unknown) => {
    // xstate says only "Timeout of 5000 ms exceeded": say where the workflow stopped.
    const snapshot = actor.getSnapshot();
    const called = calls.map((call) => `${call.input.stage} (${call.input.role} ${call.input.iteration})`);
    throw new Error(`the workflow did not finish (${(error as Error).message}): it is ${snapshot.status} in state `
      + `${JSON.stringify(snapshot.value)}; agent calls so far: ${called.join(', ') || 'none'}`, { cause: error });
  });
  const callsTo = (stage: string) => calls.filter((call) => call.input.stage === stage);
  return { actor, calls, callsTo, emitted, finished };
}

/**
 * Waits until `condition` holds, checking after each actor change; fails naming `what` (by
 * default the condition's source) when it still does not after 5 s.
 */
export async function until(
  actor: { subscribe(fn: () => void): { unsubscribe(): void } },
  condition: () => boolean,
  what = `\`${condition.toString()}\``,
): Promise<void> {
  if (condition()) return;
  await new Promise<void>((resolve, reject) => {
    const timeout = setTimeout(() => {
      subscription.unsubscribe();
      reject(new Error(`timed out after ${UNTIL_DEADLINE_MS} ms waiting for ${what}`));
    }, UNTIL_DEADLINE_MS);
    const subscription = actor.subscribe(() => {
      if (!condition()) return;
      clearTimeout(timeout);
      subscription.unsubscribe();
      resolve();
    });
  });
}
