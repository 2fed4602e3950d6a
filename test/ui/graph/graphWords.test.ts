import { describe, expect, it } from 'vitest';
import { loadConfiguration } from '../../../loader/loadConfiguration.js';
import { compileWorkflow } from '../../../machines/workflow/compileWorkflow.js';
import { statechartGraph } from '../../../machines/workflow/statechartGraph.js';
import { ACTION_WORDS, ACTOR_WORDS, GUARD_LABELS, withTransitionLabels, type ReadableNode } from '../../../ui/graph/graphLabels.js';
import { temporaryDirectory } from '../../support/runCli.js';

const { stages } = await loadConfiguration({ cwd: temporaryDirectory() });
const machine = compileWorkflow(stages);
/** The names the machine refers to its implementations by (machines/workflow/workflowSetup.ts). */
const actionNames = Object.keys(machine.implementations.actions);
const guardNames = Object.keys(machine.implementations.guards);
const actorNames = Object.keys(machine.implementations.actors);

function nodes(node: ReadableNode): ReadableNode[] {
  return [node, ...node.children.flatMap(nodes)];
}

describe('the words the inspector uses for the machine', () => {
  it('has a phrase for every action, guard and actor the machine has, so a new one without words fails here', () => {
    expect(actionNames.length).toBeGreaterThan(10);
    expect(actionNames.filter((name) => !ACTION_WORDS[name]?.trim())).toEqual([]);
    expect(guardNames.filter((name) => GUARD_LABELS[name] === undefined)).toEqual([]);
    expect(actorNames.filter((name) => !ACTOR_WORDS[name]?.trim())).toEqual([]);
  });

  it('gives the page words instead of names: what each transition does, what each state runs, descriptions without context fields', () => {
    const all = nodes(withTransitionLabels(statechartGraph(machine)));
    const shown = all.flatMap((node) => [
      node.description ?? '', ...node.runs, ...node.transitions.flatMap((transition) => [transition.label, ...transition.does]),
    ]).join('\n');
    for (const name of [...actionNames, ...guardNames, ...actorNames]) expect(shown, name).not.toMatch(new RegExp(`\\b${name}\\b`));
    expect(shown).not.toContain('context.');
    expect(shown).not.toContain('GROUP.ABORT');
    const skip = all.flatMap((node) => node.transitions).find((transition) => transition.actions.includes('markSkipped'));
    expect(skip?.does).toContain('skips the stage');
  });
});
