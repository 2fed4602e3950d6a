import { createActor, fromPromise, waitFor } from 'xstate';
import type { AgentRunResult } from '../../machines/agentRunner.js';
import { compileWorkflow, type CompileOptions } from '../../machines/compileWorkflow.js';
import type { RunInput } from '../../machines/runContext.js';
import type { StageAgentInput, WorkflowEmitted } from '../../machines/workflowSetup.js';
import type { StagesConfig } from '../../loader/stagesSchema.js';
import { validateStages } from '../../loader/validateStages.js';
import { parseYamlSource } from '../../loader/yamlSource.js';

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
  const finished = () => waitFor(actor, (snapshot) => snapshot.status === 'done', { timeout: 5000 });
  const callsTo = (stage: string) => calls.filter((call) => call.input.stage === stage);
  return { actor, calls, callsTo, emitted, finished };
}

/** Waits until `condition` holds, checking after each actor change (no timers). */
export async function until(actor: { subscribe(fn: () => void): { unsubscribe(): void } }, condition: () => boolean): Promise<void> {
  if (condition()) return;
  await new Promise<void>((resolve, reject) => {
    const timeout = setTimeout(() => reject(new Error('condition not reached')), 5000);
    const subscription = actor.subscribe(() => {
      if (!condition()) return;
      clearTimeout(timeout);
      subscription.unsubscribe();
      resolve();
    });
  });
}
