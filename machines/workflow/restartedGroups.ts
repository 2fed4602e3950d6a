import type { StagesConfig } from '../../loader/stagesSchema.js';
import type { RunContext } from './runContext.js';
import type { WorkflowEmitted } from './workflowSetup.js';

type GroupStarted = Extract<WorkflowEmitted, { type: 'group.started' }>;

/**
 * The group.started a restored snapshot owes the log: XState restores a
 * snapshot inside a parallel group without entering it again, so the group's
 * entry says nothing, yet its unfinished stages restart. One event per group
 * with a running stage, naming the stages that run now (`remaining`) when some
 * completed before; the session logs them marked `resumed`.
 *
 * @example restartedGroups(stages, actor.getSnapshot().context)
 * // [{ type: 'group.started', group: 'post_spec_review', stages: ['RESEARCH', 'TEST_STRATEGY'], remaining: ['TEST_STRATEGY'] }]
 */
export function restartedGroups(config: StagesConfig, context: Pick<RunContext, 'stages'>): GroupStarted[] {
  return Object.values(config.parallel_groups).flatMap((group): GroupStarted[] => {
    const status = (stage: string) => context.stages[stage]?.status;
    if (!group.stages.some((stage) => status(stage) === 'running')) return [];
    const remaining = group.stages.filter((stage) => status(stage) !== 'completed');
    return [{
      type: 'group.started', group: group.id, stages: [...group.stages],
      ...(remaining.length < group.stages.length ? { remaining } : {}),
    }];
  });
}
