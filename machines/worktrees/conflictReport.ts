import type { ConflictFile } from './applyRegion.js';

/** A region applied before the conflicting one, and the paths it changed. */
export interface AppliedRegion {
  readonly stage: string;
  readonly paths: readonly string[];
}

export interface ConflictReportOptions {
  /** The regions already applied, in order, to say whose change each conflicting file holds. */
  readonly applied?: readonly AppliedRegion[];
  /** The private ref holding the region's commit, for the user to look at its changes. */
  readonly regionRef?: string;
  /** Lines of hunks shown per file before the rest is summarised. */
  readonly maxHunkLines?: number;
}

/**
 * The lines teambot prints when a region's changes conflict with the working tree: the stage,
 * then each file with the kind of conflict and which earlier stages changed it (or that the
 * change was already in the working tree), then its hunks indented, cut after `maxHunkLines`.
 *
 * @example
 * conflictReportLines('BUILD_B', [{ path: 'src/a.ts', kinds: ['contents'], hunks: '@@ line 3 @@\n<<<<<<< your working tree\n…' }], { applied: [{ stage: 'BUILD_A', paths: ['src/a.ts'] }] })
 * // ["BUILD_B's changes conflict with your working tree, so none of them were applied; your working tree is as it was.",
 * //  '  src/a.ts (contents; also changed by BUILD_A)', '    @@ line 3 @@', '    <<<<<<< your working tree', '    …']
 */
export function conflictReportLines(stage: string, files: readonly ConflictFile[], options: ConflictReportOptions = {}): string[] {
  const maxHunkLines = options.maxHunkLines ?? 40;
  const lines = [`${stage}'s changes conflict with your working tree, so none of them were applied; your working tree is as it was.`];
  for (const file of files) {
    lines.push(`  ${file.path} (${describeFile(file, options.applied ?? [])})`);
    const hunkLines = file.hunks === '' ? [] : file.hunks.split('\n');
    for (const line of hunkLines.slice(0, maxHunkLines)) lines.push(`    ${line}`);
    const more = hunkLines.length - maxHunkLines;
    if (more > 0) lines.push(`    … ${more} more line${more === 1 ? '' : 's'}`);
  }
  if (options.regionRef) lines.push(`${stage}'s changes are kept: git show ${options.regionRef}`);
  return lines;
}

/** `contents; also changed by BUILD_A` or `modify/delete; changed in your working tree since the group started`. */
function describeFile(file: ConflictFile, applied: readonly AppliedRegion[]): string {
  const kinds = file.kinds.length > 0 ? file.kinds.join(', ') : 'conflict';
  const stages = applied.filter((region) => region.paths.includes(file.path)).map((region) => region.stage);
  const whose = stages.length > 0 ? `also changed by ${stages.join(', ')}` : 'changed in your working tree since the group started';
  return `${kinds}; ${whose}`;
}
