import type { InspectorRun } from '../inspectorRun.js';
// The shapes the inspector page works with: the graph and run it fetches from
// the server (/api/graph, /api/run). Its events are RunEvents and the run it
// derives from them a RunView, as in the terminal UI. Types only; no code, no DOM.

/** A transition as /api/graph serves it (ui/graph/graphLabels.ts adds the label). */
export interface GraphTransition {
  readonly event: string;
  readonly label?: string;
  readonly target: readonly string[];
  /** What the transition does, in words: the page shows these, never the machine's action names. */
  readonly does?: readonly string[];
}

/** A state of the compiled statechart, as /api/graph serves it (machines/workflow/statechartGraph.ts). */
export interface GraphNode {
  readonly id: string;
  readonly key: string;
  readonly type: string;
  readonly description?: string;
  readonly initial?: string;
  readonly invokes: readonly string[];
  /** What each invoked actor does, in words. */
  readonly runs?: readonly string[];
  readonly transitions: readonly GraphTransition[];
  readonly children: readonly GraphNode[];
}

/** /api/run, with every field filled in (see normaliseRun). */
export type RunInfo = InspectorRun;
