import type { ParallelGroup, StageDefinition, StagesConfig } from '../../loader/stagesSchema.js';
import { terminalLine } from './terminalText.js';

export type StageKind = 'work' | 'review' | 'acceptance_test' | 'terminal';

/** One stage as `teambot validate` shows it, in run order. */
export interface OutlineStage {
  readonly id: string;
  readonly name: string;
  readonly kind: StageKind;
  readonly work_agent: string | null;
  readonly review_agent: string | null;
  readonly optional: boolean;
  readonly group: string | null;
  readonly max_iterations?: number;
  readonly requires_acceptance_tests_passed: boolean;
}

/** The validated workflow reduced to what a person checks: order, kinds, agents, groups. */
export function outlineWorkflow(config: StagesConfig): OutlineStage[] {
  const groupOf = new Map<string, string>();
  for (const group of Object.values(config.parallel_groups)) {
    for (const stage of group.stages) groupOf.set(stage, group.id);
  }
  const last = config.stage_order.at(-1);
  return config.stage_order.map((id) => {
    const stage = config.stages[id]!;
    return {
      id,
      name: stage.name,
      kind: kindOf(stage, id === last),
      work_agent: stage.work_agent,
      review_agent: stage.is_review_stage ? stage.review_agent : null,
      optional: stage.optional,
      group: groupOf.get(id) ?? null,
      ...(stage.max_iterations !== undefined ? { max_iterations: stage.max_iterations } : {}),
      requires_acceptance_tests_passed: stage.requires_acceptance_tests_passed,
    };
  });
}

function kindOf(stage: StageDefinition, isLast: boolean): StageKind {
  if (stage.is_review_stage) return 'review';
  if (stage.is_acceptance_test_stage) return 'acceptance_test';
  if (isLast && !stage.work_agent) return 'terminal';
  return 'work';
}

/**
 * Draws the outline as text, each parallel group as branches:
 *
 *    4  SPEC_REVIEW        ba ⇄ reviewer   review loop, up to 4 iterations
 *       ┌ parallel group post_spec_review (let_finish): RESEARCH ‖ TEST_STRATEGY
 *    5  ├─ RESEARCH        builder-1
 *    6  └─ TEST_STRATEGY   builder-2
 *
 * A group that runs its stages in git worktrees says so in its header:
 * `┌ parallel group build (let_finish, isolated in git worktrees): IMPLEMENT_BACKEND ‖ IMPLEMENT_FRONTEND`.
 */
export function renderOutline(config: StagesConfig, stages: readonly OutlineStage[]): string[] {
  const rows = stages.map((stage) => {
    const group = stage.group ? config.parallel_groups[stage.group] : undefined;
    const members = group?.stages.filter((name) => stages.some((candidate) => candidate.id === name)) ?? [];
    const branch = !group ? '' : stage.id === members.at(-1) ? '└─ ' : '├─ ';
    const header = group && stage.id === members[0]
      ? terminalLine(`┌ parallel group ${group.id} (${groupModes(group).join(', ')}): ${members.join(' ‖ ')}`)
      : undefined;
    // Agent and group names are the user's: made safe before they are measured for the columns.
    return { label: terminalLine(`${branch}${stage.id}`), agents: terminalLine(agentsText(stage)), notes: notesOf(stage).join(', '), header };
  });
  const labelWidth = Math.max(...rows.map((row) => row.label.length)) + 2;
  const agentWidth = Math.max(...rows.map((row) => row.agents.length)) + 2;
  const numberWidth = String(stages.length).length;
  return rows.flatMap((row, index) => {
    const number = String(index + 1).padStart(numberWidth);
    const line = `${number}  ${row.label.padEnd(labelWidth)}${row.agents.padEnd(agentWidth)}${row.notes}`.trimEnd();
    return row.header ? [`${' '.repeat(numberWidth + 2)}${row.header}`, line] : [line];
  });
}

/** How a group runs, as its header says it: on_failure, a concurrency cap, worktree isolation (shared says nothing). */
function groupModes(group: ParallelGroup): string[] {
  return [
    group.on_failure,
    ...(group.max_concurrent !== undefined && group.max_concurrent < group.stages.length ? [`${group.max_concurrent} at a time`] : []),
    ...(group.isolation === 'worktree' ? ['isolated in git worktrees'] : []),
  ];
}

function agentsText(stage: OutlineStage): string {
  if (stage.kind === 'terminal') return '—';
  if (stage.kind === 'review') return `${stage.work_agent} ⇄ ${stage.review_agent}`;
  return stage.work_agent ?? '—';
}

function notesOf(stage: OutlineStage): string[] {
  const notes: string[] = [];
  if (stage.kind === 'review') notes.push(`review loop, up to ${stage.max_iterations} iterations`);
  if (stage.kind === 'acceptance_test') notes.push('acceptance tests, fix and re-run');
  if (stage.kind === 'terminal') notes.push('terminal');
  if (stage.optional) notes.push('optional');
  if (stage.requires_acceptance_tests_passed) notes.push('needs passed acceptance tests');
  return notes;
}
