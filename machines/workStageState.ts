import type { StageDefinition } from '../loader/stagesSchema.js';
import { failStage, invokeAgent, stageEntryChecks, startStage } from './stageStateParts.js';
import { ref, type StateConfig } from './stateConfig.js';

/** A plain work stage: run the agent once, keep its output. */
export function workStageState(stage: StageDefinition): StateConfig {
  const params = { stage: stage.id };
  return {
    description: stage.description || `${stage.name}: ${stage.work_agent ?? 'no agent'}`,
    initial: 'check',
    states: {
      check: {
        always: stageEntryChecks(stage, startStage(stage, 'running', 'work')),
      },
      running: {
        invoke: {
          ...invokeAgent(stage, 'work'),
          onDone: { target: 'done', actions: [ref('storeOutput', params), ref('emitCompleted', params)] },
          onError: failStage(stage.id),
        },
      },
      done: { type: 'final' },
    },
  };
}

/** The terminal stage: reaching it completes the run. */
export function terminalStageState(stage: StageDefinition): StateConfig {
  return {
    description: stage.description || 'The workflow is complete.',
    type: 'final',
    entry: [ref('completeRun', { stage: stage.id })],
  };
}
