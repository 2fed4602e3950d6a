import { describe, expect, it } from 'vitest';
import type { StagesConfig } from '../../../loader/stagesSchema.js';
import { validateStages } from '../../../loader/validateStages.js';
import { parseYamlSource } from '../../../loader/yamlSource.js';
import { outlineWorkflow, renderOutline } from '../../../ui/text/workflowOutline.js';

/** A plan, a group of two builders, a terminal stage; `group` adds fields to the group. */
function workflow(group: string): StagesConfig {
  const text = `stages:
  PLAN: { work_agent: pm }
  BACKEND: { work_agent: builder-1 }
  FRONTEND: { work_agent: builder-2 }
  COMPLETE: {}
stage_order: [PLAN, BACKEND, FRONTEND, COMPLETE]
parallel_groups:
  build:
    after: PLAN
    stages: [BACKEND, FRONTEND]
    before: COMPLETE
${group}`;
  const { config, issues } = validateStages(parseYamlSource('stages.yaml', text), { source: '/project/stages.yaml' });
  expect(issues).toEqual([]);
  return config!;
}

const headerOf = (config: StagesConfig) => renderOutline(config, outlineWorkflow(config)).find((line) => line.includes('┌'))?.trim();

describe('validate\'s outline of a parallel group', () => {
  it('says how the group runs in its header: shared (the default) adds nothing', () => {
    expect(headerOf(workflow(''))).toBe('┌ parallel group build (let_finish): BACKEND ‖ FRONTEND');
    expect(headerOf(workflow('    isolation: shared\n'))).toBe('┌ parallel group build (let_finish): BACKEND ‖ FRONTEND');
    expect(headerOf(workflow('    on_failure: fail_fast\n    max_concurrent: 1\n')))
      .toBe('┌ parallel group build (fail_fast, 1 at a time): BACKEND ‖ FRONTEND');
  });

  it('names worktree isolation', () => {
    expect(headerOf(workflow('    isolation: worktree\n'))).toBe('┌ parallel group build (let_finish, isolated in git worktrees): BACKEND ‖ FRONTEND');
  });
});
