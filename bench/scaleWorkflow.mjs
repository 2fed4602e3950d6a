// Generates a large valid workflow for the scale benchmark: `stageCount` stages (the last one
// terminal) with `groupCount` parallel groups whose widths cycle 2, 3, …, maxWidth, each group
// between two solo stages (its `after` and `before`), every stage a plain work stage. Agents
// agent-1 … agent-<maxWidth>, all persona builder, so a group's stages get distinct work_agents.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Group widths 2, 3, …, maxWidth, 2, 3, … for `groupCount` groups. */
export function groupWidths(groupCount, maxWidth) {
  return Array.from({ length: groupCount }, (_, index) => 2 + (index % (maxWidth - 1)));
}

/**
 * The stages.yaml text and its shape.
 *
 * @example scaleStages({ stageCount: 500, groupCount: 25, maxWidth: 16 }).groupStages // 200
 */
export function scaleStages({ stageCount, groupCount, maxWidth }) {
  const widths = groupWidths(groupCount, maxWidth);
  const inGroups = widths.reduce((sum, width) => sum + width, 0);
  const solos = stageCount - 1 - inGroups;
  // groupCount + 1 runs of solo stages (each group needs one before it and one after it).
  if (solos < groupCount + 1) throw new Error(`${stageCount} stages are too few for ${groupCount} groups of widths ${widths.join(', ')}`);
  const runs = Array.from({ length: groupCount + 1 }, (_, index) => Math.floor(solos / (groupCount + 1)) + (index < solos % (groupCount + 1) ? 1 : 0));

  const order = [];
  const groups = [];
  let number = 0;
  const nextName = () => `S${String(++number).padStart(4, '0')}`;
  runs.forEach((soloCount, runIndex) => {
    for (let index = 0; index < soloCount; index++) order.push({ id: nextName(), agent: 'agent-1' });
    if (runIndex === groupCount) return;
    const members = Array.from({ length: widths[runIndex] }, (_, index) => ({ id: nextName(), agent: `agent-${index + 1}` }));
    groups.push({ id: `group_${runIndex + 1}`, after: order.at(-1).id, stages: members.map((stage) => stage.id) });
    order.push(...members);
  });
  order.push({ id: 'COMPLETE', agent: null });
  groups.forEach((group) => {
    group.before = order[order.findIndex((stage) => stage.id === group.stages.at(-1)) + 1].id;
  });

  const lines = ['stages:'];
  for (const stage of order) {
    lines.push(`  ${stage.id}:`, `    description: Generated stage ${stage.id} of the scale benchmark.`, `    work_agent: ${stage.agent ?? 'null'}`);
  }
  lines.push('stage_order:', ...order.map((stage) => `  - ${stage.id}`), 'parallel_groups:');
  for (const group of groups) {
    lines.push(`  ${group.id}:`, `    after: ${group.after}`, `    stages: [${group.stages.join(', ')}]`, `    before: ${group.before}`);
  }
  return { text: `${lines.join('\n')}\n`, stageCount: order.length, groupStages: inGroups, widths, agentCalls: order.length - 1, slots: solos + groupCount };
}

/** Writes stages.yaml, teambot.json (agents agent-1 … agent-maxWidth) and a 0 ms simulation into `dir`. */
export function writeScaleProject(dir, shape) {
  const workflow = scaleStages(shape);
  writeFileSync(join(dir, 'stages.yaml'), workflow.text);
  const agents = Array.from({ length: shape.maxWidth }, (_, index) => ({ id: `agent-${index + 1}`, persona: 'builder' }));
  writeFileSync(join(dir, 'teambot.json'), `${JSON.stringify({ default_agent: 'agent-1', agents, runner: { type: 'simulated' } }, null, 2)}\n`);
  writeFileSync(join(dir, 'simulation.yaml'), 'default_ms: 0\n');
  return workflow;
}
