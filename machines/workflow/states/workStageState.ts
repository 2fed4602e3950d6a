import type { StageDefinition } from '../../../loader/stagesSchema.js';
import { failStage, singleCallStates } from './stageStateParts.js';
import { action, type StateConfig } from './stateConfig.js';

/** A plain work stage: run the agent once, keep its output; an error stops the run. */
export function workStageState(stage: StageDefinition): StateConfig {
  return {
    description: stage.description || `${stage.name}: ${stage.work_agent ?? 'no agent'}`,
    initial: 'check',
    states: singleCallStates(stage, failStage(stage.id)),
  };
}

/** The terminal stage: reaching it completes the run. */
export function terminalStageState(stage: StageDefinition): StateConfig {
  return {
    description: stage.description || 'The workflow is complete.',
    type: 'final',
    entry: [action('completeRun', { stage: stage.id })],
  };
}
