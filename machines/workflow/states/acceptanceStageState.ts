import type { StageDefinition } from '../../../loader/stagesSchema.js';
import { HALTED, action, guard, type StateConfig } from './stateConfig.js';
import { failStage, invokeAgent, stageEntryChecks, startStage } from './stageStateParts.js';

/** Acceptance runs allowed: the first one plus this many fix-and-rerun rounds. */
export const MAX_ACCEPTANCE_FIX_ROUNDS = 4;

/**
 * The acceptance-test stage: run the scenarios; while any fails, let the agent
 * fix and run them again, up to MAX_ACCEPTANCE_FIX_ROUNDS times, then stop the
 * run with `acceptance_test_failed`.
 */
export function acceptanceStageState(stage: StageDefinition): StateConfig {
  const params = { stage: stage.id };
  const maxRuns = MAX_ACCEPTANCE_FIX_ROUNDS + 1;
  return {
    description: stage.description || `${stage.name}: run the acceptance scenarios, fix and re-run (up to ${MAX_ACCEPTANCE_FIX_ROUNDS} fix rounds)`,
    initial: 'check',
    states: {
      check: {
        always: stageEntryChecks(stage, startStage(stage, 'run', 'acceptance')),
      },
      run: {
        invoke: {
          ...invokeAgent(stage, 'acceptance', 'stage'),
          onDone: [
            {
              guard: 'acceptanceRunPassed',
              target: 'done',
              actions: [action('emitAcceptanceIteration', params), action('recordAcceptance', params), action('emitCompleted', params)],
            },
            {
              guard: guard('iterationsLeft', { ...params, max: maxRuns }),
              target: 'fix',
              actions: [action('emitAcceptanceIteration', params), action('recordAcceptance', params)],
            },
            {
              target: HALTED,
              actions: [
                action('emitAcceptanceIteration', params),
                action('recordAcceptance', params),
                action('stopRun', {
                  status: 'acceptance_test_failed',
                  stages: [stage.id],
                  reason: `acceptance tests still failing after ${MAX_ACCEPTANCE_FIX_ROUNDS} fix rounds`,
                }),
              ],
            },
          ],
          onError: failStage(stage.id),
        },
      },
      fix: {
        invoke: {
          ...invokeAgent(stage, 'fix', 'stage'),
          onDone: { target: 'run', actions: action('nextIteration', params) },
          onError: failStage(stage.id),
        },
      },
      done: { type: 'final' },
    },
  };
}
