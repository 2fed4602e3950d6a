// The shapes the inspector page works with: the graph and run it fetches from
// the server (/api/graph, /api/run, /api/events) and the run it derives from
// the events. Types only; no code, no DOM.

/** A transition as /api/graph serves it (ui/graph/graphLabels.ts adds the label). */
export interface GraphTransition {
  readonly event: string;
  readonly label?: string;
  readonly target: readonly string[];
  readonly actions?: readonly string[];
}

/** A state of the compiled statechart, as /api/graph serves it (machines/workflow/statechartGraph.ts). */
export interface GraphNode {
  readonly id: string;
  readonly key: string;
  readonly type: string;
  readonly description?: string;
  readonly initial?: string;
  readonly invokes: readonly string[];
  readonly transitions: readonly GraphTransition[];
  readonly children: readonly GraphNode[];
}

/** /api/run, with every field filled in (see normaliseRun). */
export interface RunInfo {
  readonly mode: 'live' | 'replay';
  readonly feature: string;
  readonly title: string;
  readonly stage_order: readonly string[];
  readonly groups: Readonly<Record<string, readonly string[]>>;
  readonly status: string | null;
  /** Stages an earlier session completed (a resumed run logs no events for them). */
  readonly completed_before: readonly string[];
}

/**
 * One line of events.jsonl as the page reads it: the page must cope with
 * events it does not know, so every field but the type is looked at warily.
 */
export interface PageEvent {
  readonly type: string;
  readonly ts?: string;
  readonly stage?: string;
  readonly [field: string]: unknown;
}

/** What the page knows about one stage after the applied events. */
export interface StageState {
  status: string;
  /** Completed in an earlier session of a resumed run. */
  earlier: boolean;
  role?: string;
  agent?: string | null;
  startedAt?: number;
  endedAt?: number;
  durationMs?: number;
  error?: string;
  resumed?: boolean;
  iteration?: number;
  max?: number;
  verdict?: string;
  acceptance?: { readonly passed: unknown; readonly failed: unknown; readonly total: unknown };
}

/** What the page knows about one parallel group after the applied events. */
export interface GroupState {
  status: string;
  startedAt?: number;
  endedAt?: number;
}

/** The run as derived from its first N events (see deriveRun). */
export interface RunState {
  /** The run's status: null before run.started, running, then what run.completed says. */
  status: string | null;
  /** Epoch ms of run.started. */
  startedAt: number | null;
  /** Seconds of earlier sessions (resume). */
  elapsedBefore: number;
  /** Epoch ms of the last applied event. */
  lastAt: number | null;
  /** The run.completed event, once applied. */
  finished: PageEvent | null;
  readonly stages: Map<string, StageState>;
  readonly groups: Map<string, GroupState>;
}
