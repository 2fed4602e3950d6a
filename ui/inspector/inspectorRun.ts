// The run the inspector shows, as the server sends it (/api/run) and the page reads it.

/** What the page asks about the run it shows. */
export interface InspectorRun {
  readonly mode: 'live' | 'replay';
  readonly feature: string;
  readonly title: string;
  readonly stage_order: readonly string[];
  readonly groups: Readonly<Record<string, readonly string[]>>;
  readonly status: string | null;
  /** Stages completed before the session the events describe (a resumed run). */
  readonly completed_before: readonly string[];
}
