import type { Report, StagesDraft } from './stageRules.js';
import type { ParallelGroup } from './stagesSchema.js';
import { suggestionFor } from './suggestName.js';

/**
 * The rules that make a parallel group safe to run concurrently and to resume:
 * independent, non-review stages with distinct agents, contiguous in stage_order
 * between `after` and `before`.
 */
export function checkParallelGroups(draft: StagesDraft, groups: ReadonlyMap<string, ParallelGroup>, report: Report): void {
  const groupOfStage = new Map<string, string>();
  for (const [id, group] of groups) {
    const subject = `group ${id}`;
    const stagesPath = ['parallel_groups', id, 'stages'];

    if (group.stages.length < 2) {
      report({
        subject, rule: 'group-too-small',
        message: `a parallel group needs at least 2 stages, this one has ${group.stages.length}`,
        fix: 'list two or more independent stages, or remove the group and keep the stage in stage_order',
      }, stagesPath);
    }

    const agentOwner = new Map<string, string>();
    group.stages.forEach((name, index) => {
      const at = [...stagesPath, index];
      if (!draft.definedNames.has(name)) {
        report({
          subject, rule: 'group-undefined-stage', message: `"${name}" is not defined under stages`,
          fix: suggestionFor(name, [...draft.definedNames], 'defined stages'),
        }, at);
        return;
      }
      const otherGroup = groupOfStage.get(name);
      if (otherGroup !== undefined && otherGroup !== id) {
        report({
          subject, rule: 'group-stage-in-two-groups', message: `"${name}" is already in group ${otherGroup}`,
          fix: `remove "${name}" from one of the two groups; a stage belongs to at most one group`,
        }, at);
      }
      groupOfStage.set(name, id);

      const stage = draft.stages.get(name);
      if (!stage) return;
      if (stage.is_review_stage) {
        report({
          subject, rule: 'group-review-stage',
          message: `"${name}" has is_review_stage: true; review stages loop until approved and cannot run in a parallel group`,
          fix: `remove "${name}" from the group (it must run on its own, before or after the group)`,
        }, at);
      }
      if (stage.is_acceptance_test_stage) {
        report({
          subject, rule: 'group-acceptance-stage',
          message: `"${name}" has is_acceptance_test_stage: true; the acceptance-test stage cannot run in a parallel group`,
          fix: `remove "${name}" from the group`,
        }, at);
      }
      if (stage.work_agent) {
        const owner = agentOwner.get(stage.work_agent);
        if (owner) {
          report({
            subject, rule: 'group-shared-agent',
            message: `"${name}" and "${owner}" both have work_agent ${stage.work_agent}; they would share one agent session`,
            fix: `give "${name}" a different work_agent (e.g. builder-2 beside builder-1)`,
          }, at);
        } else {
          agentOwner.set(stage.work_agent, name);
        }
      }
    });

    checkPlacement(id, group, draft, report);
  }
}

/** The group's stages sit together in stage_order, `after` right before them and `before` right after. */
function checkPlacement(id: string, group: ParallelGroup, draft: StagesDraft, report: Report): void {
  const subject = `group ${id}`;
  const order = draft.stageOrder;
  const positions = group.stages.map((name) => order.indexOf(name));
  const missing = group.stages.filter((_, index) => positions[index] === -1);
  for (const name of missing) {
    if (!draft.definedNames.has(name)) continue;
    report({
      subject, rule: 'group-stage-not-ordered', message: `"${name}" is not in stage_order`,
      fix: `add "${name}" to stage_order between ${group.after} and ${group.before}`,
    }, ['parallel_groups', id, 'stages', group.stages.indexOf(name)]);
  }
  const placed = positions.filter((position) => position >= 0);
  if (placed.length === 0) return;
  const first = Math.min(...placed);
  const last = Math.max(...placed);

  if (last - first + 1 !== placed.length) {
    const between = order.slice(first, last + 1).filter((name) => !group.stages.includes(name));
    report({
      subject, rule: 'group-not-contiguous',
      message: `the group's stages are not next to each other in stage_order (${between.join(', ')} sits between them)`,
      fix: 'move the group\'s stages together in stage_order, or take the stage in between into the group',
    }, ['parallel_groups', id, 'stages']);
    return;
  }

  const expectedAfter = order[first - 1];
  if (group.after !== expectedAfter) {
    report({
      subject, rule: 'group-after-mismatch',
      message: expectedAfter
        ? `after: ${group.after} is not the stage right before the group in stage_order (that is ${expectedAfter})`
        : `after: ${group.after}, but the group's stages start stage_order; nothing runs before them`,
      fix: expectedAfter ? `set after: ${expectedAfter}` : 'put at least one stage before the group in stage_order',
    }, ['parallel_groups', id, 'after']);
  }
  const expectedBefore = order[last + 1];
  if (group.before !== expectedBefore) {
    report({
      subject, rule: 'group-before-mismatch',
      message: expectedBefore
        ? `before: ${group.before} is not the stage right after the group in stage_order (that is ${expectedBefore})`
        : `before: ${group.before}, but the group's stages end stage_order; the last stage must be terminal`,
      fix: expectedBefore ? `set before: ${expectedBefore}` : 'put the terminal stage after the group in stage_order',
    }, ['parallel_groups', id, 'before']);
  }
}
