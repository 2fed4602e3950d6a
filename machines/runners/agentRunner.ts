/**
 * The interface between the workflow and whatever does a stage's work: the
 * Copilot CLI, any agent CLI, or the in-process simulation. The machine only
 * sees this, so it can be tested with fakes and run against real processes.
 */

/** What the agent is asked to do within a stage. */
export type AgentRole =
  /** Do the stage's work (work stages, and the work half of a review loop). */
  | 'work'
  /** Review the work and answer with a VERIFIED_APPROVED: or REJECTED: verdict. */
  | 'review'
  /** Run the acceptance test scenarios and report the results. */
  | 'acceptance'
  /** Fix what made acceptance tests fail. */
  | 'fix';

export interface AgentRunRequest {
  readonly stage: string;
  readonly role: AgentRole;
  /** 1-based: the review iteration or acceptance round this call belongs to. */
  readonly iteration: number;
  readonly agent: string;
  readonly model?: string | undefined;
  readonly prompt: string;
  /** The user's project directory, where the agent works. */
  readonly cwd: string;
  /** Where the stage's artifacts go: `<teambot_dir>/<feature>/artifacts/`. */
  readonly artifactsDir: string;
  /** The artifact file names the stage must produce. */
  readonly artifacts: readonly string[];
  /** Aborted when the stage is cancelled (Ctrl+C, time limit, fail_fast sibling). */
  readonly signal: AbortSignal;
  /** Each line the agent prints, as it prints it. */
  readonly onOutput: (line: string) => void;
}

/** Per-scenario acceptance results, decided by running the tests. */
export interface AcceptanceResult {
  readonly passed: number;
  readonly failed: number;
  readonly total: number;
  readonly scenarios?: readonly { readonly id: string; readonly passed: boolean }[];
}

export interface AgentRunResult {
  /** What the agent produced; becomes the stage output. */
  readonly output: string;
  /** Set by acceptance runs. */
  readonly acceptance?: AcceptanceResult;
}

export interface AgentRunner {
  run(request: AgentRunRequest): Promise<AgentRunResult>;
}

/** A stage's agent call failed; `message` is shown to the user and logged as the stage error. */
export class AgentRunError extends Error {
  /** A failure worth retrying (rate limit, network), as the runner classified it. */
  readonly transient: boolean;

  constructor(message: string, readonly stage: string, options: { transient?: boolean } = {}) {
    super(message);
    this.name = 'AgentRunError';
    this.transient = options.transient ?? false;
  }
}
