import type { ParallelGroup, StagesConfig } from './stagesSchema.js';

/** How a parallel group is named where a stage's name would stand: TeamBot's `current_stage`, and our statechart's state key. */
export const GROUP_PREFIX = 'PARALLEL_GROUP:';

/** @example groupStateKey('post_spec_review') // 'PARALLEL_GROUP:post_spec_review' */
export const groupStateKey = (groupId: string): string => `${GROUP_PREFIX}${groupId}`;

/** Each group's stages, by group id. */
export function stagesByGroup(config: StagesConfig): Record<string, readonly string[]> {
  return Object.fromEntries(Object.values(config.parallel_groups).map((group) => [group.id, group.stages]));
}

/** The group each grouped stage belongs to. */
export function groupOfStage(config: StagesConfig): Map<string, ParallelGroup> {
  const groupOf = new Map<string, ParallelGroup>();
  for (const group of Object.values(config.parallel_groups)) for (const stage of group.stages) groupOf.set(stage, group);
  return groupOf;
}
