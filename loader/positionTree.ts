import type { DataPath, SourcePosition } from './sourceDocument.js';

/**
 * Where each value of a parsed document starts, as plain data: what `locate` needs, kept
 * without the parser. The build stores the built-in stages.yaml's this way
 * (stagesSnapshot.ts), so errors and warnings about it carry their line without YAML.
 */
export interface PositionTree {
  /** Where the value starts: [line, column], 1-based. */
  readonly at: readonly [number, number];
  /** Where its key starts, when the value is a mapping entry's. */
  readonly key?: readonly [number, number];
  /** A mapping's entries by key text (the first of duplicate keys wins, as in yamlSource.ts). */
  readonly entries?: Readonly<Record<string, PositionTree>>;
  /** A sequence's items; null for an empty one, which is not located. */
  readonly items?: readonly (PositionTree | null)[];
}

const START: SourcePosition = { line: 1, column: 1 };

/**
 * `SourceDocument.locate` over a position tree: where the value at `path` starts (with
 * `key: true`, its key), falling back to the deepest part of the path that exists.
 *
 * @example locateInTree(tree, ['stages', 'SPEC', 'work_agent']) // { line: 40, column: 17 }
 */
export function locateInTree(tree: PositionTree | undefined, path: DataPath, options: { key?: boolean } = {}): SourcePosition {
  let node = tree;
  let key: readonly [number, number] | undefined;
  for (const segment of path) {
    const entries = node?.entries;
    const next = entries
      ? (Object.hasOwn(entries, String(segment)) ? entries[String(segment)] : undefined)
      : typeof segment === 'number' ? node?.items?.[segment] : undefined;
    if (!next) break;
    node = next;
    key = entries ? next.key : undefined;
  }
  const [line, column] = (options.key && key) || node?.at || [START.line, START.column];
  return { line, column };
}
