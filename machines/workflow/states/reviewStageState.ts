import { DEFAULT_MAX_ITERATIONS, type StageDefinition } from '../../../loader/stagesSchema.js';
import { HALTED, action, guard, type StateConfig } from './stateConfig.js';
import { failStage, invokeAgent, stageEntryChecks, startStage } from './stageStateParts.js';

/**
 * A review stage: the work agent produces (or revises) the work, the review
 * agent judges it. Approval needs an explicit `VERIFIED_APPROVED:`; a rejection's
 * feedback goes into the next work prompt; after `max_iterations` rejections
 * the run stops with `review_failed`.
 */
export function reviewStageState(stage: StageDefinition): StateConfig {
  const params = { stage: stage.id };
  const max = stage.max_iterations ?? DEFAULT_MAX_ITERATIONS;
  const iterationParams = { ...params, max };
  return {
    description: stage.description || `${stage.name}: ${stage.work_agent} works, ${stage.review_agent} reviews (up to ${max} iterations)`,
    initial: 'check',
    states: {
      check: {
        always: stageEntryChecks(stage, startStage(stage, 'work', 'work')),
      },
      work: {
        invoke: {
          ...invokeAgent(stage, 'work', 'stage'),
          onDone: { target: 'review', actions: action('storeWorkOutput', params) },
          onError: failStage(stage.id),
        },
      },
      review: {
        invoke: {
          ...invokeAgent(stage, 'review', 'stage'),
          onDone: [
            {
              guard: 'reviewApproved',
              target: 'done',
              actions: [action('emitReviewIteration', iterationParams), action('recordReview', params), action('emitCompleted', params)],
            },
            {
              guard: guard('iterationsLeft', iterationParams),
              target: 'work',
              actions: [action('emitReviewIteration', iterationParams), action('recordReview', params), action('nextIteration', params)],
            },
            {
              target: HALTED,
              actions: [
                action('emitReviewIteration', iterationParams),
                action('recordReview', params),
                action('stopRun', {
                  status: 'review_failed',
                  stages: [stage.id],
                  reason: `${stage.id} was not approved after ${max} iterations`,
                }),
              ],
            },
          ],
          onError: failStage(stage.id),
        },
      },
      done: { type: 'final' },
    },
  };
}
