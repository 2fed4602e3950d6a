import { describe, expect, it } from 'vitest';
import { parseObjective } from '../../../loader/objective.js';
import { shownPath } from '../../../loader/shownPath.js';
import { artifactPaths, buildStagePrompt, fenced, producesArtifacts, type StagePromptContext } from '../../../machines/prompts/stagePrompt.js';
import { stagesFrom } from '../../support/workflowHarness.js';

const stages = stagesFrom(`
stages:
  SETUP:
    name: Setup
    description: Check the repository.
    work_agent: pm
    include_objective: false
    exit_criteria: [The repository is writable]
  SPEC:
    name: Specification
    description: Write the feature specification.
    work_agent: ba
    artifacts: [feature_spec.md, notes/open_questions.md]
    exit_criteria: [Every goal is covered, Scope is explicit]
  SPEC_REVIEW:
    name: Spec Review
    description: Review the specification.
    work_agent: ba
    review_agent: reviewer
    is_review_stage: true
    max_iterations: 3
    artifacts: [spec_review.md]
    exit_criteria: [The verdict is recorded]
  ACCEPTANCE_TEST:
    work_agent: builder-1
    is_acceptance_test_stage: true
    artifacts: [acceptance_test_results.md]
  DONE: {}
stage_order: [SETUP, SPEC, SPEC_REVIEW, ACCEPTANCE_TEST, DONE]
`);

const objective = parseObjective([
  '# Objective: Dark mode toggle',
  '## Goals', '- A toggle in settings', '- Remember the choice',
  '## Success Criteria', '- [x] Toggle visible', '- [ ] Choice survives a restart',
  '## Constraints', '- No new dependencies',
  '## Technical Context', 'The settings page lives in src/settings.',
].join('\n'), 'objective.md');

const cwd = '/repo';
const artifactsDir = '/repo/.teambot/dark-mode-toggle/artifacts';

function prompt(stage: string, call: StagePromptContext['call'], extra: Partial<StagePromptContext> = {}): string {
  return buildStagePrompt({ stage: stages.stages[stage]!, call, objective, template: null, cwd, artifactsDir, ...extra });
}

/** The text of one `## ` section, up to the next one; undefined when absent. */
function section(text: string, heading: string): string | undefined {
  const start = text.indexOf(`\n## ${heading}`);
  if (start < 0) return undefined;
  const next = text.indexOf('\n## ', start + 1);
  return text.slice(start + 1, next < 0 ? undefined : next);
}

describe('buildStagePrompt: common sections', () => {
  const spec = prompt('SPEC', { role: 'work', iteration: 1 });

  it('starts with the stage header: id, name, role and iteration', () => {
    expect(spec.startsWith('# Stage SPEC: Specification\nRole: work · Iteration 1\n')).toBe(true);
    expect(prompt('SPEC_REVIEW', { role: 'review', iteration: 2, workOutput: 'w' })).toMatch(/^# Stage SPEC_REVIEW: Spec Review\nRole: review · Iteration 2 of 3\n/);
    expect(prompt('ACCEPTANCE_TEST', { role: 'acceptance', iteration: 3 })).toMatch(/^Role: acceptance · Round 3$/m);
  });

  it('gives the role instruction, the description and the exit criteria', () => {
    expect(section(spec, 'Your task')).toMatch(/Do the work of this stage/);
    expect(section(spec, 'About this stage')).toBe('## About this stage\nWrite the feature specification.\n');
    expect(section(spec, 'Exit criteria')).toBe('## Exit criteria\n- Every goal is covered\n- Scope is explicit\n');
  });

  it('has every objective section, success criteria with their checkbox state', () => {
    const text = section(spec, 'Objective: Dark mode toggle')!;
    expect(text).toContain('### Goals\n- A toggle in settings\n- Remember the choice');
    expect(text).toContain('### Success criteria\n- [x] Toggle visible\n- [ ] Choice survives a restart');
    expect(text).toContain('### Constraints\n- No new dependencies');
    expect(text).toContain('### Context\nThe settings page lives in src/settings.');
  });

  it('leaves the objective out when include_objective is false', () => {
    const setup = prompt('SETUP', { role: 'work', iteration: 1 });
    expect(setup).not.toContain('## Objective');
    expect(setup).not.toContain('Dark mode');
    expect(setup).toContain('## Exit criteria\n- The repository is writable');
  });

  it('leaves out empty objective lists', () => {
    const bare = buildStagePrompt({
      stage: stages.stages.SPEC!, call: { role: 'work', iteration: 1 }, template: null, cwd, artifactsDir,
      objective: parseObjective('# Objective: Bare\n', 'objective.md'),
    });
    expect(bare).toContain('## Objective: Bare');
    expect(bare).not.toMatch(/### (Goals|Success criteria|Constraints|Context)/);
  });

  it('names the working directory and the artifact paths relative to it', () => {
    expect(section(spec, 'Working directory')).toMatch(/^## Working directory\n`\/repo`\n/);
    const artifacts = section(spec, 'Artifacts')!;
    expect(artifacts).toContain('are in `.teambot/dark-mode-toggle/artifacts`');
    expect(artifacts).toContain('- `.teambot/dark-mode-toggle/artifacts/feature_spec.md`\n- `.teambot/dark-mode-toggle/artifacts/notes/open_questions.md`');
    expect(artifacts).not.toContain('/repo/');
  });

  it('names artifacts absolutely when the artifacts directory is outside the working directory', () => {
    const outside = prompt('SPEC', { role: 'work', iteration: 1 }, { artifactsDir: '/elsewhere/artifacts' });
    expect(section(outside, 'Artifacts')).toContain('- `/elsewhere/artifacts/feature_spec.md`');
  });

  it('includes the prompt template text only when there is one, before the description', () => {
    const withTemplate = prompt('SPEC', { role: 'work', iteration: 1 }, { template: '\nFollow the SDD spec template.\n' });
    expect(section(withTemplate, 'Stage instructions')).toBe('## Stage instructions\nFollow the SDD spec template.\n');
    expect(withTemplate.indexOf('## Stage instructions')).toBeLessThan(withTemplate.indexOf('## About this stage'));
    expect(spec).not.toContain('## Stage instructions');
    expect(prompt('SPEC', { role: 'work', iteration: 1 }, { template: '  \n' })).not.toContain('## Stage instructions');
  });

  it('is deterministic', () => {
    expect(prompt('SPEC', { role: 'work', iteration: 1 })).toBe(spec);
  });
});

describe('buildStagePrompt: review stages', () => {
  it('asks the reviewer to judge the work output and to end with an explicit verdict line', () => {
    const review = prompt('SPEC_REVIEW', { role: 'review', iteration: 1, workOutput: 'Wrote feature_spec.md with 5 scenarios.' });
    expect(section(review, 'Work under review')).toContain('```\nWrote feature_spec.md with 5 scenarios.\n```');
    expect(review).toContain('`VERIFIED_APPROVED: <reason>`');
    expect(review).toContain('`REJECTED: <concrete, actionable feedback>`');
    expect(review).toMatch(/Only an explicit `VERIFIED_APPROVED:` line approves/);
    // The verdict instruction is the last thing the reviewer reads.
    expect(review.trimEnd().endsWith('anything else counts as a rejection.')).toBe(true);
    expect(section(review, 'Artifacts')).toContain('- `.teambot/dark-mode-toggle/artifacts/spec_review.md`');
  });

  it('reminds the reviewer of its earlier feedback on later iterations', () => {
    const review = prompt('SPEC_REVIEW', { role: 'review', iteration: 2, workOutput: 'revised', feedback: 'add error cases' });
    expect(section(review, 'Your feedback on the previous attempt (iteration 1)')).toContain('add error cases');
  });

  it('says so when the work gave no output', () => {
    expect(section(prompt('SPEC_REVIEW', { role: 'review', iteration: 1, workOutput: '' }), 'Work under review'))
      .toMatch(/gave no output/);
  });

  it('gives the work agent of iteration 2 its previous attempt and the feedback to address', () => {
    const work = prompt('SPEC_REVIEW', {
      role: 'work', iteration: 2, previousAttempt: 'Spec v1: toggle only.', feedback: 'REJECTED points: persistence is missing',
    });
    expect(section(work, 'Your task')).toMatch(/rejected your previous attempt.*every point/s);
    expect(section(work, 'Your previous attempt (iteration 1)')).toContain('Spec v1: toggle only.');
    expect(section(work, 'Reviewer feedback on it (iteration 1)')).toContain('persistence is missing');
    expect(work).toContain('Address every point of this feedback.');
    expect(work).not.toContain('## Your verdict');
  });

  it('does not ask the work agent of a review stage to write the review artifact', () => {
    const work = prompt('SPEC_REVIEW', { role: 'work', iteration: 1 });
    expect(section(work, 'Artifacts')).not.toContain('spec_review.md');
    expect(work).not.toContain('## Your previous attempt');
  });

  it('ignores a stale feedback on iteration 1', () => {
    expect(prompt('SPEC_REVIEW', { role: 'work', iteration: 1, feedback: 'old run' })).not.toContain('old run');
  });
});

describe('buildStagePrompt: acceptance stages', () => {
  it('asks for one result line per scenario and the results file', () => {
    const run = prompt('ACCEPTANCE_TEST', { role: 'acceptance', iteration: 1 });
    expect(section(run, 'Your task')).toMatch(/`AT-nnn: passed` or `AT-nnn: failed/);
    expect(section(run, 'Artifacts')).toContain('acceptance_test_results.md');
  });

  it('gives the fix round the failed run and no artifacts to write', () => {
    const fix = prompt('ACCEPTANCE_TEST', { role: 'fix', iteration: 2, workOutput: 'AT-004: failed — crash' });
    expect(section(fix, 'Failed acceptance test run (round 2)')).toContain('AT-004: failed — crash');
    expect(section(fix, 'Artifacts')).not.toContain('acceptance_test_results.md');
  });
});

describe('prompt helpers', () => {
  it('producesArtifacts: the review on review stages, never a fix', () => {
    expect(producesArtifacts('review', { is_review_stage: true })).toBe(true);
    expect(producesArtifacts('work', { is_review_stage: true })).toBe(false);
    expect(producesArtifacts('work', { is_review_stage: false })).toBe(true);
    expect(producesArtifacts('fix', { is_review_stage: false })).toBe(false);
  });

  it('shownPath: relative inside the working directory, absolute outside', () => {
    expect(shownPath('/repo', '/repo/a/b.md')).toBe('a/b.md');
    expect(shownPath('/repo', '/repository/b.md')).toBe('/repository/b.md');
    expect(shownPath('/repo', '/repo')).toBe('.');
    expect(artifactPaths(['x.md'], '/repo', '/repo/art')).toEqual([{ absolute: '/repo/art/x.md', shown: 'art/x.md' }]);
  });

  it('fenced: the fence is longer than any backtick run inside', () => {
    expect(fenced('a\n```js\nx\n```\n')).toBe('````\na\n```js\nx\n```\n````');
    expect(fenced('plain')).toBe('```\nplain\n```');
  });
});
