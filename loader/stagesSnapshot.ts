import { locateInTree, type PositionTree } from './positionTree.js';
import type { SourceDocument } from './sourceDocument.js';
import type { StagesConfig } from './stagesSchema.js';

/**
 * The built-in config/stages.yaml as the build parsed it: its text, its data, where each
 * value starts and the workflow it validates to. tsup.config.ts makes it (builtinSnapshots.ts)
 * and bundles it into dist/ as TEAMBOT_STAGES_SNAPSHOT; from the source (tests) there is none,
 * and the YAML is parsed.
 */
export interface StagesSnapshot {
  readonly text: string;
  readonly value: unknown;
  readonly positions: PositionTree | undefined;
  /** The validated workflow, checked against no team of the user's (no roster); absent when invalid. */
  readonly config?: StagesConfig;
}

/** Replaced by the build with the snapshot as a JSON text (tsup.config.ts, `define`). */
declare const TEAMBOT_STAGES_SNAPSHOT: string | undefined;

/**
 * The document of a stages text that is exactly the built-in stages.yaml the build read
 * (the built-in itself, or a copy `teambot init` wrote and nobody changed): its data and positions
 * without parsing YAML. Undefined for any other text, which is parsed as ever: the YAML file
 * stays the one source, an edit to it is read.
 *
 * @example snapshotDocument('stages.yaml', text)?.locate(['stages', 'SPEC']) // { line: 40, column: 5 }
 */
export function snapshotDocument(file: string, text: string, snapshotJson = builtinSnapshotJson()): SourceDocument | undefined {
  if (snapshotJson === undefined) return undefined;
  // Parsed on each use: every caller gets data of its own.
  const snapshot = JSON.parse(snapshotJson) as StagesSnapshot;
  if (snapshot.text !== text) return undefined;
  return {
    file,
    value: snapshot.value,
    syntaxIssues: [],
    locate: (path, options) => locateInTree(snapshot.positions, path, options),
  };
}

/**
 * The validation of a stages text that is exactly the built-in one, without zod: the workflow the
 * build validated. Only without a team of the user's to check its agents against (`roster`);
 * undefined otherwise, and for any other text, which is validated as ever.
 */
export function prevalidatedStages(
  text: string, options: { source: string; roster?: unknown }, snapshotJson = builtinSnapshotJson(),
): { config: StagesConfig; issues: readonly [] } | undefined {
  if (snapshotJson === undefined || options.roster !== undefined) return undefined;
  const snapshot = JSON.parse(snapshotJson) as StagesSnapshot;
  if (snapshot.text !== text || !snapshot.config) return undefined;
  return { config: { ...snapshot.config, source: options.source }, issues: [] };
}

function builtinSnapshotJson(): string | undefined {
  return typeof TEAMBOT_STAGES_SNAPSHOT === 'string' ? TEAMBOT_STAGES_SNAPSHOT : undefined;
}
