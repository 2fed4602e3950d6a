import { createHash } from 'node:crypto';
import type { StagesConfig } from './stagesSchema.js';

/** Per-part hashes of a stages configuration, stored in the state file to tell what changed. */
export interface StagesFingerprint {
  stage_order: string[];
  stages: Record<string, string>;
  parallel_groups: Record<string, string>;
}

const shortHash = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 12);

/** Hashes what changes a run's meaning (not where the file lives). */
export function stagesFingerprint(config: StagesConfig): StagesFingerprint {
  return {
    stage_order: [...config.stage_order],
    stages: Object.fromEntries(Object.entries(config.stages).map(([id, stage]) => [id, shortHash(stage)])),
    parallel_groups: Object.fromEntries(Object.entries(config.parallel_groups).map(([id, group]) => [id, shortHash(group)])),
  };
}

/** One sha256 over the whole fingerprint: equal configurations, equal hashes. */
export function stagesHash(config: StagesConfig): string {
  return createHash('sha256').update(JSON.stringify(stagesFingerprint(config))).digest('hex');
}

/**
 * What changed between the configuration a run was made with and the current
 * one, in words: `stage DEPLOY added`, `stage PLAN changed`, `stage_order changed`.
 */
export function describeStagesChanges(before: StagesFingerprint, after: StagesFingerprint): string[] {
  const changes: string[] = [];
  for (const id of Object.keys(before.stages)) {
    if (!(id in after.stages)) changes.push(`stage ${id} removed`);
    else if (before.stages[id] !== after.stages[id]) changes.push(`stage ${id} changed`);
  }
  for (const id of Object.keys(after.stages)) if (!(id in before.stages)) changes.push(`stage ${id} added`);
  for (const id of new Set([...Object.keys(before.parallel_groups), ...Object.keys(after.parallel_groups)])) {
    if (!(id in after.parallel_groups)) changes.push(`parallel group ${id} removed`);
    else if (!(id in before.parallel_groups)) changes.push(`parallel group ${id} added`);
    else if (before.parallel_groups[id] !== after.parallel_groups[id]) changes.push(`parallel group ${id} changed`);
  }
  if (before.stage_order.join() !== after.stage_order.join()) changes.push('stage_order changed');
  return changes;
}
