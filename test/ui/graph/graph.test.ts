import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '@ts-graphviz/ast';
import { parse as parseYaml } from 'yaml';
import type { StatechartNode } from '../../../machines/workflow/statechartGraph.js';
import { toMermaid } from '../../../ui/graph/graphFormats.js';
import { repoRoot, runCliInProcess, temporaryDirectory } from '../../support/runCli.js';

const builtinStageOrder = (parseYaml(readFileSync(join(repoRoot, 'config', 'stages.yaml'), 'utf8')) as { stage_order: string[] }).stage_order;

/** Runs `teambot graph` in an empty directory (so only the given files count) and checks it succeeded. */
async function graph(args: readonly string[], cwd = temporaryDirectory()): Promise<string> {
  const result = await runCliInProcess(['graph', ...args], { cwd });
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  return result.stdout;
}

const graphJson = async (args: readonly string[], cwd?: string) => JSON.parse(await graph(['--format', 'json', ...args], cwd)) as StatechartNode;

function descendants(node: StatechartNode): StatechartNode[] {
  return node.children.flatMap((child) => [child, ...descendants(child)]);
}

function child(node: StatechartNode, key: string): StatechartNode {
  const found = node.children.find((candidate) => candidate.key === key);
  if (!found) throw new Error(`${node.id} has no child ${key} (has ${node.children.map((candidate) => candidate.key).join(', ')})`);
  return found;
}

/** The lines of a mermaid composite state, from its `state … {` line to its closing brace. */
function mermaidBlock(mermaid: string, header: string): string[] {
  const lines = mermaid.split('\n');
  const start = lines.findIndex((line) => line.trim() === header);
  expect(start, `no line "${header}"`).toBeGreaterThanOrEqual(0);
  const indent = lines[start]!.indexOf('state');
  const end = lines.findIndex((line, index) => index > start && line === `${' '.repeat(indent)}}`);
  return lines.slice(start, end + 1);
}

const twoGroupStages = `
stages:
  START: { work_agent: pm }
  A: { work_agent: builder-1 }
  B: { work_agent: builder-2 }
  C: { work_agent: reviewer }
  MIDDLE: { work_agent: pm }
  D: { work_agent: builder-1 }
  E: { work_agent: builder-2 }
  DONE: { description: Finished. }
stage_order: [START, A, B, C, MIDDLE, D, E, DONE]
parallel_groups:
  three:
    after: START
    stages: [A, B, C]
    before: MIDDLE
  two:
    after: MIDDLE
    stages: [D, E]
    before: DONE
    on_failure: fail_fast
`;

describe('teambot graph --format json', () => {
  it('shows the built-in workflow\'s backbone, with the parallel group as a parallel state of one region per stage', async () => {
    const root = await graphJson([]);
    expect(root).toMatchObject({ id: 'teambot', type: 'compound', initial: 'SETUP' });
    const backbone = builtinStageOrder.filter((stage) => stage !== 'RESEARCH' && stage !== 'TEST_STRATEGY');
    backbone.splice(backbone.indexOf('PLAN'), 0, 'PARALLEL_GROUP:post_spec_review');
    expect(root.children.map((node) => node.key)).toEqual([...backbone, 'halted']);

    const group = child(root, 'PARALLEL_GROUP:post_spec_review');
    expect(group.type).toBe('parallel');
    expect(group.children.map((region) => region.key)).toEqual(['RESEARCH', 'TEST_STRATEGY']);
    for (const region of group.children) {
      expect(region.type).toBe('compound');
      expect(descendants(region).flatMap((node) => node.invokes)).toContain('stageAgent');
    }
    expect(group.transitions).toEqual([
      { event: 'xstate.done.state.teambot.PARALLEL_GROUP:post_spec_review', target: ['teambot.PLAN'], guard: 'groupSucceeded', actions: ['emitGroupCompleted'] },
      { event: 'xstate.done.state.teambot.PARALLEL_GROUP:post_spec_review', target: ['teambot.halted'], actions: ['emitGroupFailed', 'stopRunForGroup'] },
    ]);
  });

  it('shows the review loop: work → review → work while rejected, with the real onDone/onError event types', async () => {
    const review = child(await graphJson([]), 'SPEC_REVIEW');
    expect(review.children.map((node) => node.key)).toEqual(['check', 'work', 'review', 'done']);
    expect(child(review, 'check').transitions.map((transition) => transition.event)).toEqual(['', '', '']);
    const work = child(review, 'work');
    expect(work.invokes).toEqual(['stageAgent']);
    expect(work.transitions.map((transition) => [transition.event, transition.target])).toEqual([
      [expect.stringMatching(/^xstate\.done\.actor\./), ['teambot.SPEC_REVIEW.review']],
      [expect.stringMatching(/^xstate\.error\.actor\./), ['teambot.halted']],
    ]);
    const backToWork = child(review, 'review').transitions.find((transition) => transition.target.includes('teambot.SPEC_REVIEW.work'));
    expect(backToWork).toMatchObject({ event: expect.stringMatching(/^xstate\.done\.actor\./), guard: 'iterationsLeft' });
    expect(review.transitions.map((transition) => transition.event)).toEqual(['xstate.done.state.teambot.SPEC_REVIEW']);
  });

  it('has no parallel state with --sequential: the group\'s stages follow one another', async () => {
    const root = await graphJson(['--sequential']);
    expect(descendants(root).filter((node) => node.type === 'parallel')).toEqual([]);
    expect(root.children.map((node) => node.key)).toEqual([...builtinStageOrder, 'halted']);
    expect(child(root, 'RESEARCH').transitions[0]).toMatchObject({ target: ['teambot.TEST_STRATEGY'] });
  });

  it('shows every group of a custom stages.yaml, a three-stage one included', async () => {
    const directory = temporaryDirectory();
    writeFileSync(join(directory, 'stages.yaml'), twoGroupStages);
    const root = await graphJson(['--stages', 'stages.yaml'], directory);
    const groups = root.children.filter((node) => node.type === 'parallel');
    expect(groups.map((group) => [group.key, group.children.map((region) => region.key)])).toEqual([
      ['PARALLEL_GROUP:three', ['A', 'B', 'C']],
      ['PARALLEL_GROUP:two', ['D', 'E']],
    ]);
    expect(root.children.map((node) => node.key)).toEqual(['START', 'PARALLEL_GROUP:three', 'MIDDLE', 'PARALLEL_GROUP:two', 'DONE', 'halted']);
  });
});

describe('teambot graph (mermaid, the default)', () => {
  it('draws every stage, each as a composite state, and the group\'s regions side by side', async () => {
    const mermaid = await graph([]);
    expect(mermaid.split('\n')[0]).toBe('stateDiagram-v2');
    expect(mermaid).toMatch(/^ {2}\[\*\] --> SETUP$/m);
    for (const stage of builtinStageOrder.slice(0, -1)) expect(mermaid).toMatch(new RegExp(`^\\s*state ${stage} \\{$`, 'm'));
    expect(mermaid).toMatch(/^ {2}COMPLETE --> \[\*\]$/m);
    expect(mermaid).toMatch(/^ {2}halted --> \[\*\]$/m);

    const group = mermaidBlock(mermaid, 'state "PARALLEL_GROUP:post_spec_review" as PARALLEL_GROUP_post_spec_review {');
    const research = group.findIndex((line) => line.trim() === 'state RESEARCH {');
    const divider = group.findIndex((line) => line.trim() === '--');
    const testStrategy = group.findIndex((line) => line.trim() === 'state TEST_STRATEGY {');
    expect(research).toBeGreaterThan(0);
    expect(divider).toBeGreaterThan(research);
    expect(testStrategy).toBeGreaterThan(divider);
    expect(mermaid).toMatch(/^ {2}SPEC_REVIEW --> PARALLEL_GROUP_post_spec_review : done$/m);
    expect(mermaid).toMatch(/^ {2}PARALLEL_GROUP_post_spec_review --> PLAN : all done$/m);
  });

  it('labels the review and acceptance loops, and uses only valid mermaid ids', async () => {
    const mermaid = await graph([]);
    expect(mermaidBlock(mermaid, 'state SPEC_REVIEW {')).toEqual(expect.arrayContaining([
      '    SPEC_REVIEW_work --> SPEC_REVIEW_review : done',
      '    SPEC_REVIEW_review --> SPEC_REVIEW_done : approved',
      '    SPEC_REVIEW_review --> SPEC_REVIEW_work : rejected',
    ]));
    expect(mermaidBlock(mermaid, 'state ACCEPTANCE_TEST {')).toEqual(expect.arrayContaining([
      '    ACCEPTANCE_TEST_run --> ACCEPTANCE_TEST_done : passed',
      '    ACCEPTANCE_TEST_run --> ACCEPTANCE_TEST_fix : failed',
      '    ACCEPTANCE_TEST_fix --> ACCEPTANCE_TEST_run : done',
    ]));
    expect(mermaid).toMatch(/^ {2}SPEC_REVIEW --> halted : error \/ rejected, out of iterations$/m);
    const id = String.raw`(?:\[\*\]|[A-Za-z_][A-Za-z0-9_]*)`;
    const edges = mermaid.split('\n').filter((line) => line.includes('-->'));
    expect(edges.length).toBeGreaterThan(100);
    for (const edge of edges) expect(edge).toMatch(new RegExp(`^\\s*${id} --> ${id}( : [^:;#"]+)?$`));
  });

  it('draws both groups of a custom stages.yaml, with a divider between each pair of regions', async () => {
    const directory = temporaryDirectory();
    writeFileSync(join(directory, 'two-groups.yaml'), twoGroupStages);
    const mermaid = await graph(['--stages', 'two-groups.yaml'], directory);
    const three = mermaidBlock(mermaid, 'state "PARALLEL_GROUP:three" as PARALLEL_GROUP_three {');
    const two = mermaidBlock(mermaid, 'state "PARALLEL_GROUP:two" as PARALLEL_GROUP_two {');
    const regions = (block: string[]) => block.filter((line) => /^ {4}(state \w+ \{|--)$/.test(line)).map((line) => line.trim());
    expect(regions(three)).toEqual(['state A {', '--', 'state B {', '--', 'state C {']);
    expect(regions(two)).toEqual(['state D {', '--', 'state E {']);
  });
});

describe('teambot graph --format dot', () => {
  it('prints a digraph with a cluster for the group and one per region', async () => {
    const dot = await graph(['--format', 'dot']);
    expect(dot.startsWith('digraph "teambot" {')).toBe(true);
    const group = dot.indexOf('subgraph "cluster_teambot.PARALLEL_GROUP:post_spec_review" {');
    expect(group).toBeGreaterThan(0);
    expect(dot.indexOf('subgraph "cluster_teambot.PARALLEL_GROUP:post_spec_review.RESEARCH" {')).toBeGreaterThan(group);
    expect(dot.indexOf('subgraph "cluster_teambot.PARALLEL_GROUP:post_spec_review.TEST_STRATEGY" {')).toBeGreaterThan(group);
    expect(dot).toContain('"teambot.SPEC_REVIEW.review" -> "teambot.SPEC_REVIEW.work" [label="rejected"];');
    expect(dot.split('{').length).toBe(dot.split('}').length);
  });

  it('is valid DOT (parsed with the Graphviz grammar of @ts-graphviz/ast)', async () => {
    const dot = await graph(['--format', 'dot']);
    const ast = parse(dot);
    expect(ast.children[0]).toMatchObject({ type: 'Graph', directed: true });
    expect(dot).toContain('PARALLEL_GROUP:post_spec_review (parallel)');
  });
});

describe('teambot graph with bad input', () => {
  it('reports an invalid stages file like validate does, exit 2, nothing on stdout', async () => {
    const directory = temporaryDirectory();
    writeFileSync(join(directory, 'stages.yaml'), 'stages:\n  SETUP: { work_agnet: pm }\nstage_order: [SETUP]\n');
    const result = await runCliInProcess(['graph', '--stages', 'stages.yaml'], { cwd: directory });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/stages\.yaml:2:\d+: .*\[unknown-field\]/);
    expect(result.stderr).toMatch(/1 problem found/);
  });

  it('rejects an unknown format with exit 2', async () => {
    const result = await runCliInProcess(['graph', '--format', 'svg'], { cwd: temporaryDirectory() });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/Allowed choices are mermaid, dot, json/);
  });
});

describe('toMermaid', () => {
  const node = (id: string, type: StatechartNode['type'], rest: Partial<StatechartNode> = {}): StatechartNode =>
    ({ id, key: id.split('.').at(-1)!, type, invokes: [], transitions: [], children: [], ...rest });
  const doneOf = (id: string) => `xstate.done.actor.0.${id}`;

  it('draws composites, regions, [*] markers and short labels for a hand-made chart', () => {
    const chart = node('m', 'compound', {
      initial: 'review',
      children: [
        node('m.review', 'compound', {
          initial: 'work',
          transitions: [{ event: 'xstate.done.state.m.review', target: ['m.group:1'], actions: [] }],
          children: [
            node('m.review.work', 'atomic', {
              invokes: ['agent'],
              transitions: [
                { event: doneOf('m.review.work'), target: ['m.review.judge'], actions: [] },
                { event: 'xstate.error.actor.0.m.review.work', target: ['m.stopped'], actions: [] },
              ],
            }),
            node('m.review.judge', 'atomic', {
              transitions: [
                { event: doneOf('m.review.judge'), target: ['m.review.done'], guard: 'reviewApproved', actions: [] },
                { event: doneOf('m.review.judge'), target: ['m.review.work'], guard: 'iterationsLeft', actions: [] },
                { event: doneOf('m.review.judge'), target: ['m.stopped'], actions: [] },
              ],
            }),
            node('m.review.done', 'final'),
          ],
        }),
        node('m.group:1', 'parallel', {
          transitions: [{ event: 'xstate.done.state.m.group:1', target: ['m.complete'], actions: [] }],
          children: [
            node('m.group:1.left', 'compound', { initial: 'done', children: [node('m.group:1.left.done', 'final')] }),
            node('m.group:1.right', 'compound', {
              initial: 'waiting',
              children: [
                node('m.group:1.right.waiting', 'atomic', { transitions: [{ event: 'GO', target: ['m.group:1.right.done'], actions: [] }] }),
                node('m.group:1.right.done', 'final'),
              ],
            }),
          ],
        }),
        node('m.complete', 'final'),
        node('m.stopped', 'final'),
      ],
    });

    expect(toMermaid(chart)).toBe(`stateDiagram-v2
  [*] --> review
  state review {
    state "work" as review_work
    state "judge" as review_judge
    state "done" as review_done
    [*] --> review_work
    review_work --> review_judge : done
    review_judge --> review_done : approved
    review_judge --> review_work : rejected
    review_done --> [*]
  }
  review --> group_1 : done
  review --> stopped : error / rejected, out of iterations
  state "group:1" as group_1 {
    state left {
      state "done" as left_done
      [*] --> left_done
      left_done --> [*]
    }
    --
    state right {
      state "waiting" as right_waiting
      state "done" as right_done
      [*] --> right_waiting
      right_waiting --> right_done : GO
      right_done --> [*]
    }
  }
  group_1 --> complete : done
  complete
  complete --> [*]
  stopped
  stopped --> [*]
`);
  });
});
