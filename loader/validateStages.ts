import type { z } from 'zod';
import type { InputIssue } from './inputIssue.js';
import { checkParallelGroups } from './parallelGroupRules.js';
import type { SourceDocument } from './sourceDocument.js';
import { checkStageOrder, checkStages, reporterFor, type AgentRoster, type StagesDraft } from './stageRules.js';
import {
  DEFAULT_MAX_ITERATIONS, GROUP_NAME_PATTERN, STAGE_NAME_PATTERN, parallelGroupSchema, stageOrderSchema,
  stageSchema, stagesFileSchema, workToReviewMappingSchema,
  type ParallelGroup, type StageDefinition, type StagesConfig,
} from './stagesSchema.js';
import { suggestionFor } from './suggestName.js';
import { issuesFromZod } from './zodIssues.js';

export interface StagesValidation {
  /** Present only when there are no issues. */
  readonly config?: StagesConfig;
  readonly issues: readonly InputIssue[];
}

/**
 * Validates a parsed stages.yaml: the schema per stage and group (so one broken
 * stage does not hide the others' problems), then the cross-field rules.
 * Pure: the document is already parsed, the roster already loaded.
 *
 * @example
 * const { config, issues } = validateStages(parseYamlSource('stages.yaml', text), { source: '/abs/stages.yaml' });
 */
export function validateStages(
  document: SourceDocument,
  options: { source: string; roster?: AgentRoster },
): StagesValidation {
  const issues: InputIssue[] = [...document.syntaxIssues];
  const raw = document.value;
  if (raw === undefined && issues.length > 0) return { issues };
  const report = reporterFor(document, issues);

  if (!isRecord(raw)) {
    report({
      rule: 'wrong-type', message: 'stages.yaml must be a mapping with "stages:" and "stage_order:"',
      fix: 'start from the default: run `teambot init` or copy config/stages.yaml',
    }, []);
    return { issues };
  }

  const topFields = Object.keys(stagesFileSchema.shape);
  for (const key of Object.keys(raw)) {
    if (topFields.includes(key)) continue;
    report({ rule: 'unknown-field', message: `unknown top-level field "${key}"`, fix: suggestionFor(key, topFields, 'valid fields') }, [key], true);
  }
  for (const required of ['stages', 'stage_order'] as const) {
    if (raw[required] === undefined) {
      report({ rule: 'missing-field', message: `missing required field "${required}"`, fix: `add a "${required}:" section` }, []);
    }
  }

  const parse = <S extends z.ZodType>(schema: S, value: unknown, basePath: PropertyKey[], subject?: string): z.output<S> | undefined => {
    const result = schema.safeParse(value, { reportInput: true });
    if (result.success) return result.data;
    issues.push(...issuesFromZod(result.error, { document, basePath, schema, ...(subject ? { subject } : {}) }));
    return undefined;
  };

  const stages = new Map<string, StageDefinition>();
  const definedNames = new Set<string>();
  for (const [id, value] of entriesOf(raw.stages, ['stages'], report)) {
    definedNames.add(id);
    checkName(id, STAGE_NAME_PATTERN, 'stage', ['stages', id], report);
    const stage = parse(stageSchema, value ?? {}, ['stages', id], `stage ${id}`);
    if (stage) stages.set(id, normalizeStage(id, stage));
  }

  const groups = new Map<string, ParallelGroup>();
  for (const [id, value] of entriesOf(raw.parallel_groups, ['parallel_groups'], report)) {
    checkName(id, GROUP_NAME_PATTERN, 'group', ['parallel_groups', id], report);
    const group = parse(parallelGroupSchema, value, ['parallel_groups', id], `group ${id}`);
    if (group) groups.set(id, { id, ...group });
  }

  const stageOrder = raw.stage_order === undefined ? [] : parse(stageOrderSchema, raw.stage_order, ['stage_order'], 'stage_order') ?? [];
  const mapping = raw.work_to_review_mapping == null
    ? {}
    : parse(workToReviewMappingSchema, raw.work_to_review_mapping, ['work_to_review_mapping'], 'work_to_review_mapping') ?? {};

  const draft: StagesDraft = { stages, definedNames, stageOrder, workToReviewMapping: mapping };
  // Without a usable stage_order, rules that depend on positions (the terminal stage, group
  // placement) would only add confusing follow-on problems to the one that matters.
  const orderUsable = stageOrder.length > 0;
  if (orderUsable) checkStageOrder(draft, report);
  checkStages(draft, options.roster, report);
  if (orderUsable) checkParallelGroups(draft, groups, report);

  if (issues.length > 0) return { issues };
  return {
    issues,
    config: {
      source: options.source,
      stages: Object.fromEntries(stages),
      stage_order: stageOrder,
      parallel_groups: Object.fromEntries(groups),
      work_to_review_mapping: mapping,
    },
  };
}

function normalizeStage(id: string, stage: z.output<typeof stageSchema>): StageDefinition {
  const { max_iterations: maxIterations, ...rest } = stage;
  return {
    ...rest,
    id,
    name: stage.name ?? id,
    ...(stage.is_review_stage || maxIterations !== undefined
      ? { max_iterations: maxIterations ?? DEFAULT_MAX_ITERATIONS }
      : {}),
  };
}

function entriesOf(value: unknown, path: string[], report: ReturnType<typeof reporterFor>): [string, unknown][] {
  if (value == null) return [];
  if (isRecord(value)) return Object.entries(value);
  report({
    rule: 'wrong-type', message: `"${path.join('.')}" must be a mapping of name: definition entries`,
    fix: `write each entry as "NAME:" indented under ${path.join('.')}:`,
  }, path);
  return [];
}

function checkName(name: string, pattern: RegExp, kind: 'stage' | 'group', path: PropertyKey[], report: ReturnType<typeof reporterFor>): void {
  if (pattern.test(name)) return;
  report({
    subject: `${kind} ${name}`, rule: 'invalid-name',
    message: `${kind} name "${name}" must match ${pattern.source}`,
    fix: kind === 'stage'
      ? `rename it to ${name.toUpperCase().replace(/[^A-Z0-9_]/g, '_').replace(/^[^A-Z]+/, '') || 'STAGE'} (capital letters, digits, underscores)`
      : 'use letters, digits, "_" or "-", starting with a letter',
  }, path, true);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
