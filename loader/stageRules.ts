import type { InputIssue } from './inputIssue.js';
import type { SourceDocument } from './sourceDocument.js';
import type { StageDefinition } from './stagesSchema.js';
import { suggestionFor } from './suggestName.js';

/** What teambot.json says about an agent, as far as stages.yaml rules care. */
export interface AgentRoster {
  readonly file: string;
  readonly personas: ReadonlyMap<string, string>;
}

/** The parts of stages.yaml the cross-field rules read; stages that failed the schema are absent. */
export interface StagesDraft {
  readonly stages: ReadonlyMap<string, StageDefinition>;
  /** Every key under `stages:`, valid or not, so references to a broken stage are not reported twice. */
  readonly definedNames: ReadonlySet<string>;
  readonly stageOrder: readonly string[];
  readonly workToReviewMapping: Readonly<Record<string, string>>;
}

/** Records a rule violation at a path of the document (its key with `key: true`). */
export type Report = (issue: Omit<InputIssue, 'file' | 'line' | 'column'>, path: readonly PropertyKey[], key?: boolean) => void;

/** Builds a reporter that attaches file and position to rule violations. */
export function reporterFor(document: SourceDocument, issues: InputIssue[]): Report {
  return (issue, path, key = false) => {
    issues.push({ file: document.file, ...document.locate(path, { key }), ...issue });
  };
}

/** stage_order: every name defined, none repeated, the last one terminal. */
export function checkStageOrder(draft: StagesDraft, report: Report): void {
  const firstIndex = new Map<string, number>();
  draft.stageOrder.forEach((name, index) => {
    const path = ['stage_order', index];
    if (!draft.definedNames.has(name)) {
      report({
        subject: 'stage_order', rule: 'stage-order-undefined',
        message: `"${name}" is not defined under stages`,
        fix: `${suggestionFor(name, [...draft.definedNames], 'defined stages')} (or add a "${name}:" entry under stages)`,
      }, path);
    }
    const earlier = firstIndex.get(name);
    if (earlier !== undefined) {
      report({
        subject: 'stage_order', rule: 'stage-order-duplicate',
        message: `"${name}" is listed twice (also at position ${earlier + 1})`,
        fix: 'remove one of the entries; a stage runs once per workflow',
      }, path);
    } else {
      firstIndex.set(name, index);
    }
  });

  const lastName = draft.stageOrder.at(-1);
  const last = lastName === undefined ? undefined : draft.stages.get(lastName);
  if (lastName && last && (last.work_agent || last.review_agent)) {
    report({
      subject: `stage ${lastName}`, rule: 'terminal-stage',
      message: `the last stage in stage_order must be terminal (no agents), but ${lastName} has ${agentsOf(last)}`,
      fix: `end stage_order with a stage that has no agents (like COMPLETE), or set work_agent and review_agent of ${lastName} to null`,
    }, ['stage_order', draft.stageOrder.length - 1]);
  }
}

/** Each stage: agents present for its kind, known to teambot.json, allowed by allowed_personas; safe paths. */
export function checkStages(draft: StagesDraft, roster: AgentRoster | undefined, report: Report): void {
  const terminal = draft.stageOrder.at(-1);
  for (const [id, stage] of draft.stages) {
    const subject = `stage ${id}`;
    const at = (field: string) => ['stages', id, field];

    if (stage.is_review_stage && (!stage.work_agent || !stage.review_agent)) {
      const missing = [!stage.work_agent && 'work_agent', !stage.review_agent && 'review_agent'].filter(Boolean).join(' and ');
      report({
        subject, rule: 'review-agents-required',
        message: `review stage without ${missing}`,
        fix: 'a review stage needs work_agent (revises) and review_agent (approves or rejects)',
      }, ['stages', id], true);
    } else if (!stage.is_review_stage && !stage.work_agent && terminal !== undefined && id !== terminal) {
      report({
        subject, rule: 'work-agent-required',
        message: 'work stage without work_agent',
        fix: 'set work_agent to an agent id from teambot.json (only the last stage in stage_order has no agents)',
      }, ['stages', id], true);
    }

    if (stage.max_iterations !== undefined && !stage.is_review_stage) {
      report({
        subject, rule: 'review-only-field',
        message: 'max_iterations only applies to review stages (is_review_stage: true)',
        fix: 'remove max_iterations, or make the stage a review stage',
      }, at('max_iterations'), true);
    }
    if (stage.acceptance_test_command !== undefined && !stage.is_acceptance_test_stage) {
      report({
        subject, rule: 'acceptance-only-field',
        message: 'acceptance_test_command only applies to the acceptance-test stage (is_acceptance_test_stage: true)',
        fix: 'move acceptance_test_command to the acceptance-test stage',
      }, at('acceptance_test_command'), true);
    }

    stage.artifacts.forEach((artifact, index) => checkRelativePath(artifact, subject, ['stages', id, 'artifacts', index], report));
    if (stage.prompt_template) checkRelativePath(stage.prompt_template, subject, at('prompt_template'), report);

    if (roster) checkAgents(id, stage, roster, report);
  }

  for (const [work, review] of Object.entries(draft.workToReviewMapping)) {
    for (const [name, key] of [[work, true], [review, false]] as const) {
      if (draft.definedNames.has(name)) continue;
      report({
        subject: 'work_to_review_mapping', rule: 'mapping-undefined-stage',
        message: `"${name}" is not defined under stages`,
        fix: suggestionFor(name, [...draft.definedNames], 'defined stages'),
      }, ['work_to_review_mapping', work], key);
    }
  }

  checkAcceptanceGate(draft, report);
}

function checkAgents(id: string, stage: StageDefinition, roster: AgentRoster, report: Report): void {
  const subject = `stage ${id}`;
  const known = [...roster.personas.keys()];
  const fields = [['work_agent', stage.work_agent], ['review_agent', stage.review_agent]] as const;
  for (const [field, agent] of fields) {
    if (agent && !roster.personas.has(agent)) {
      report({
        subject, rule: 'unknown-agent',
        message: `${field} "${agent}" is not defined in ${roster.file}`,
        fix: `${suggestionFor(agent, known, 'defined agents')} (or add an agent with id "${agent}" to ${roster.file})`,
      }, ['stages', id, field]);
    }
  }
  (stage.parallel_agents ?? []).forEach((agent, index) => {
    if (roster.personas.has(agent)) return;
    report({
      subject, rule: 'unknown-agent',
      message: `parallel_agents entry "${agent}" is not defined in ${roster.file}`,
      fix: suggestionFor(agent, known, 'defined agents'),
    }, ['stages', id, 'parallel_agents', index]);
  });

  // The acting agent is the one whose persona the stage must allow: the reviewer on review stages.
  const actingField = stage.is_review_stage ? 'review_agent' : 'work_agent';
  const acting = stage[actingField];
  const persona = acting ? roster.personas.get(acting) : undefined;
  if (acting && persona && stage.allowed_personas.length > 0
      && !stage.allowed_personas.includes(persona) && !stage.allowed_personas.includes(acting)) {
    report({
      subject, rule: 'persona-not-allowed',
      message: `${actingField} "${acting}" has persona "${persona}", which allowed_personas (${stage.allowed_personas.join(', ')}) does not include`,
      fix: `add "${persona}" to allowed_personas, or choose a ${actingField} whose persona is allowed`,
    }, ['stages', id, 'allowed_personas']);
  }
}

/** A stage that requires passed acceptance tests needs an acceptance-test stage before it. */
function checkAcceptanceGate(draft: StagesDraft, report: Report): void {
  // A stage that failed the schema may be the acceptance stage: its own issue is the one to fix.
  if (draft.stageOrder.some((id) => draft.definedNames.has(id) && !draft.stages.has(id))) return;
  let acceptanceSeen = false;
  for (const id of draft.stageOrder) {
    const stage = draft.stages.get(id);
    if (!stage) continue;
    if (stage.requires_acceptance_tests_passed && !acceptanceSeen) {
      report({
        subject: `stage ${id}`, rule: 'acceptance-stage-missing',
        message: 'requires_acceptance_tests_passed, but no acceptance-test stage runs before it',
        fix: 'add a stage with is_acceptance_test_stage: true earlier in stage_order, or remove the requirement',
      }, ['stages', id, 'requires_acceptance_tests_passed'], true);
    }
    if (stage.is_acceptance_test_stage) acceptanceSeen = true;
  }
}

function checkRelativePath(path: string, subject: string, at: readonly PropertyKey[], report: Report): void {
  // "", "." and "./" name the base directory itself: a stage would "write" the artifacts folder.
  if (path.split(/[\\/]/).every((part) => part.trim() === '' || part === '.')) {
    report({
      subject, rule: 'unsafe-path',
      message: path.trim() === '' ? 'the path is empty' : `path "${path}" names the base directory itself, not a file`,
      fix: 'name a file relative to its base directory, e.g. "feature_spec.md", or remove this entry',
    }, at);
    return;
  }
  const absolute = path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:/.test(path) || path.startsWith('~');
  const escapes = path.split(/[\\/]/).includes('..');
  if (!absolute && !escapes) return;
  report({
    subject, rule: 'unsafe-path',
    message: `path "${path}" ${absolute ? 'is absolute' : 'contains ".."'}`,
    fix: 'use a path relative to its base directory without "..", so a stage cannot write outside it',
  }, at);
}

function agentsOf(stage: StageDefinition): string {
  return [stage.work_agent && `work_agent ${stage.work_agent}`, stage.review_agent && `review_agent ${stage.review_agent}`]
    .filter(Boolean).join(' and ');
}
