import type { StatechartNode } from '../../machines/workflow/statechartGraph.js';
import { toDot } from './graphDot.js';
import { toMermaid } from './graphMermaid.js';

export { toDot, toMermaid };

export type GraphFormat = 'mermaid' | 'dot' | 'json';

/**
 * Renders a statechart in the format asked for: `teambot graph --format`.
 *
 * @example
 * process.stdout.write(renderGraph(statechartGraph(machine), 'mermaid'));
 */
export function renderGraph(root: StatechartNode, format: GraphFormat): string {
  if (format === 'dot') return toDot(root);
  if (format === 'json') return toJson(root);
  return toMermaid(root);
}

/**
 * The statechart as pretty-printed JSON, exactly as `statechartGraph` describes it.
 *
 * @example
 * JSON.parse(toJson(graph)).children[0].key; // 'SETUP'
 */
export function toJson(root: StatechartNode): string {
  return `${JSON.stringify(root, null, 2)}\n`;
}
