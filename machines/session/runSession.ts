import { basename, join, resolve } from 'node:path';
import { createActor, type InspectionEvent, type Observer } from 'xstate';
import type { Configuration } from '../../loader/loadConfiguration.js';
import type { Objective } from '../../loader/objective.js';
import { shownPath } from '../../loader/shownPath.js';
import { STATE_FILE_NAME, type RunOptionsRecord } from '../../loader/stateFile.js';
import { stagesFingerprint, stagesHash } from '../../loader/stagesFingerprint.js';
import { DEFAULT_MAX_ITERATIONS } from '../../loader/stagesSchema.js';
import type { AgentRunner } from '../runners/agentRunner.js';
import { compileWorkflow } from '../workflow/compileWorkflow.js';
import { restartedGroups } from '../workflow/restartedGroups.js';
import { longTimeout } from '../time/longTimeout.js';
import { createRunRecorder } from './runRecorder.js';
import type { RunSink } from './runSink.js';
import type { RunContext, RunInput, RunStatus } from '../workflow/runContext.js';
import { acquireRunLock, type RunLock } from '../persistence/runLock.js';
import { createFeatureDirectory } from '../persistence/featureDirectory.js';
import { recordAgentTrees } from '../persistence/agentsFile.js';
import { liveAgentTrees, onAgentTreesChange, stopAllAgentTrees, type AgentTree } from '../runners/process/agentTrees.js';
import { killLeftoverAgentTrees, leftoverAgentTrees } from '../runners/process/leftoverAgents.js';
import { watchdogPid } from '../runners/process/watchdog.js';
import { writeReviewFailureReport, type ReviewRound } from './reviewFailureReport.js';
import { createStageActor } from '../runners/stageActor.js';
import type { RunMetadata } from '../persistence/stateSnapshot.js';
import { createStateStore } from '../persistence/stateStore.js';
import { createIsolationActor } from '../worktrees/isolationActor.js';
import { onEventLogFailure } from '../persistence/eventLog.js';
import type { WorkflowEmitted } from '../workflow/workflowSetup.js';
import { stamped, type RunEventBody } from './runEvents.js';
import { writeFailureMessage } from './writeFailure.js';

/** Where a resumed run starts from. */
export interface ResumePoint {
  /** An interrupted run's persisted snapshot: restored, its running stages restart. */
  readonly snapshot?: unknown;
  /** Otherwise a fresh machine that passes through these completed stages. */
  readonly input?: RunInput;
  readonly elapsedSeconds: number;
  readonly durations: Readonly<Record<string, number>>;
  /** A migrated TeamBot file, kept as orchestration_state.v1.json before the first write. */
  readonly legacyOriginal?: string;
}

export interface RunSessionOptions {
  readonly configuration: Configuration;
  readonly objective: Objective;
  /** The objective path as recorded in the state file (relative to cwd when inside it). */
  readonly objectivePath: string;
  /** The user's project root: agents work here and `teambot_dir` is relative to it. */
  readonly cwd: string;
  readonly runner: AgentRunner;
  readonly runnerName: string;
  /** How the run was started, recorded in the state so resume can repeat it. */
  readonly runOptions?: RunOptionsRecord;
  readonly sequential?: boolean;
  readonly skip?: readonly string[];
  /** The run's total time limit, across resumes; it stops with status `timeout`. */
  readonly maxSeconds: number;
  readonly resume?: ResumePoint;
  /** Default: `<cwd>/<teambot_dir>/<feature>`; a resumed run uses its state file's directory. */
  readonly featureDir?: string;
  /** The feature directory's run lock, when the caller took it already (to check the directory first). */
  readonly lock?: RunLock;
  /** Milliseconds since the epoch; injected by tests. */
  readonly now?: () => number;
  /** Who follows the run: each gets every event, and a call when the run has ended. */
  readonly sinks?: readonly RunSink[];
  /** XState inspection (`teambot run --inspect`). */
  readonly inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
}

export interface RunOutcome {
  readonly status: RunStatus;
  readonly error: string | null;
  readonly failedStages: readonly string[];
  readonly featureDir: string;
  readonly statePath: string;
  readonly eventsPath: string;
  /** This session's duration. */
  readonly durationMs: number;
  readonly elapsedSeconds: number;
  readonly context: RunContext;
  /** Set when the run stopped because one of its files could not be written (also its `error`): the one line to print. */
  readonly writeFailure?: string;
}

export interface RunHandle {
  readonly featureDir: string;
  /** Stages already complete when this session started (resume). */
  readonly completedAtStart: readonly string[];
  /** Settles once the run has ended, however it ended, and every agent process tree is gone. */
  readonly done: Promise<RunOutcome>;
  /** Stops the run: the last snapshot is saved with this status, agents are stopped (SIGTERM, then SIGKILL after the grace). */
  stop(status: 'cancelled' | 'timeout'): void;
}

/**
 * Starts (or resumes) a workflow run: takes the feature directory's lock,
 * compiles the configuration, provides the stage actor with the runner, and
 * checkpoints every snapshot change to orchestration_state.json before the
 * event that announces it is logged, so a completed stage survives any crash.
 * The time limit is an external timer that stops the actor (xstate#4860: no
 * `after` delays across a restore). Agents a dead teambot left working on the
 * feature (agents.json) are killed before the first agent starts; this run's
 * agents are recorded there while they live, and the lock is released only
 * once every one of them is gone. A file that cannot be written (disk full,
 * a read-only mount) stops the run: nothing more is written, so the state
 * file keeps its last checkpoint (resume starts from it), the agents are
 * stopped, and `done` settles with status `error` and `writeFailure`.
 *
 * @throws InputError when another run holds the feature directory
 */
export function startRun(options: RunSessionOptions): RunHandle {
  const now = options.now ?? Date.now;
  const { stages, teambot } = options.configuration;
  const resume = options.resume;
  const featureDir = options.featureDir ?? resolve(options.cwd, teambot.teambot_dir, options.objective.featureName);
  let artifactsDir: string;
  try {
    artifactsDir = createFeatureDirectory(featureDir, options.cwd);
  } catch (error) {
    // The lock a caller took is this session's to release from here on.
    options.lock?.release();
    throw error;
  }
  const lock = options.lock ?? acquireRunLock(featureDir);
  // With the lock held, whatever agents.json records for a dead teambot is an orphan of a crash.
  const leftovers = leftoverAgentTrees(featureDir);
  const recordAgents = (trees: readonly AgentTree[]) => {
    try {
      recordAgentTrees(featureDir, trees, watchdogPid());
    } catch {
      // A record we cannot write only costs `status` and the next run's clean-up, never this run.
    }
  };
  const stopRecordingAgents = onAgentTreesChange(recordAgents);
  let recorder: ReturnType<typeof createRunRecorder>;
  try {
    recorder = createRunRecorder({ eventsPath: join(featureDir, 'events.jsonl'), sinks: options.sinks ?? [], now });
  } catch (error) {
    stopRecordingAgents();
    lock.release();
    throw error;
  }
  /** Why the run's files can no longer be written; from then on nothing more is (the last good state stays). */
  let writeFailure: string | undefined;
  const stopWatchingLog = onEventLogFailure((path, error) => {
    if (path === recorder.path) stopOnWriteFailure(error, path);
  });
  /** Runs one write of the run's files, turning a failure into stopping the run rather than an exception inside xstate. */
  const saving = (path: string, write: () => void): void => {
    if (writeFailure !== undefined) return;
    try {
      write();
    } catch (error) {
      stopOnWriteFailure(error, path);
    }
  };
  const startedAt = now();
  const elapsedBefore = resume?.elapsedSeconds ?? 0;
  const elapsedSeconds = () => elapsedBefore + (now() - startedAt) / 1000;
  const durations = new Map(Object.entries(resume?.durations ?? {}));
  const stageStartedAt = new Map<string, number>();
  const reviewRounds: (ReviewRound & { stage: string })[] = [];
  const metadata: RunMetadata = {
    objective_file: options.objectivePath,
    feature_name: options.objective.featureName,
    stages_config_source: stages.source,
    stages_config_hash: stagesHash(stages),
    stages_config_fingerprint: stagesFingerprint(stages),
    max_seconds: options.maxSeconds,
    ...(options.runOptions ? { run_options: options.runOptions } : {}),
  };
  const stateStore = createStateStore(join(featureDir, STATE_FILE_NAME), {
    stages, metadata, ...(resume?.legacyOriginal ? { legacyOriginal: resume.legacyOriginal } : {}),
    onSyncFailure: (error) => stopOnWriteFailure(error, stateStore.journalPath),
  });

  const stageAgent = createStageActor({
    runner: options.runner, stages, team: teambot, objective: options.objective, cwd: options.cwd,
    artifactsDir,
    onOutput: recorder.output,
    // A simulation reads no prompt and changes no file: git evidence would only cost time (and warn outside a repository).
    groundReviews: options.runnerName !== 'simulated',
  });
  const isolation = createIsolationActor({
    projectDir: options.cwd, featureDir, feature: basename(featureDir), runsDir: resolve(options.cwd, teambot.teambot_dir),
  });
  const machine = compileWorkflow(stages, { sequential: options.sequential ?? false, stageAgent, isolation });
  const inspect = options.inspect ? { inspect: options.inspect } : {};
  const actor = resume?.snapshot
    ? createActor(machine, { snapshot: resume.snapshot as never, input: {}, ...inspect })
    : createActor(machine, { input: { ...resume?.input, skip: [...(resume?.input?.skip ?? []), ...(options.skip ?? [])] }, ...inspect });

  // XState makes a new snapshot object for every change, so identity tells whether anything
  // changed without serialising the whole snapshot (outputs can be megabytes).
  let lastCheckpoint: { snapshot: unknown; status: RunStatus } | undefined;
  /** Saves the snapshot unless neither it nor the status changed since the last save. */
  const checkpoint = (status: RunStatus, error: string | null, persisted?: object) => {
    const snapshot = actor.getSnapshot();
    if (persisted === undefined && lastCheckpoint?.snapshot === snapshot && lastCheckpoint.status === status) return;
    lastCheckpoint = { snapshot, status };
    saving(stateStore.path, () => stateStore.checkpoint({
      machine: persisted ?? persistedWithoutStages(snapshot), value: snapshot.value, context: snapshot.context,
      status, error, elapsedSeconds: elapsedSeconds(), durations, now: new Date(now()),
    }));
  };
  const record = (body: RunEventBody) => saving(recorder.path, () => recorder.record(body));
  /**
   * The persisted snapshot but for the stage records, which the checkpoint takes from the
   * context itself (plain JSON, nothing to persist): persisting walks the whole context, and
   * the records are most of it, so leaving them out keeps a checkpoint's cost independent of
   * the number of stages.
   */
  const persistedWithoutStages = (snapshot: ReturnType<typeof actor.getSnapshot>): object =>
    actor.logic.getPersistedSnapshot({ ...snapshot, context: { ...snapshot.context, stages: {} } } as typeof snapshot);

  actor.on('*', (emitted) => {
    const event = emitted as WorkflowEmitted;
    if (event.type === 'stage.started' && !stageStartedAt.has(event.stage)) stageStartedAt.set(event.stage, now());
    if (event.type === 'review.iteration') reviewRounds.push(event);
    if (event.type === 'stage.completed' || event.type === 'stage.failed') {
      durations.set(event.stage, now() - (stageStartedAt.get(event.stage) ?? now()));
    }
    // The state file must know what the log is about to say (a crash may come next).
    checkpoint('in_progress', null);
    record(event.type === 'stage.completed' ? { ...event, duration_ms: durations.get(event.stage) ?? 0 } : event);
  });

  let settle: (outcome: RunOutcome) => void = () => {};
  const done = new Promise<RunOutcome>((resolvePromise) => {
    settle = resolvePromise;
  });
  let finished = false;
  let cancelTimeLimit: () => void = () => {};
  const finish = (status: RunStatus, context: RunContext, error: string | null, persisted?: object) => {
    if (finished) return;
    finished = true;
    cancelTimeLimit();
    subscription.unsubscribe();
    // Saved first: the state must survive whatever happens while the agents are stopped.
    checkpoint(status, error, persisted);
    void agentsGone().then(() => {
      const durationMs = now() - startedAt;
      // A write that failed, even the final checkpoint just now, decides how the run ended.
      const ended = writeFailure === undefined ? { status, error } : { status: 'error' as const, error: writeFailure };
      const completed: RunEventBody = {
        type: 'run.completed', status: ended.status, duration_ms: durationMs, elapsed_seconds: elapsedSeconds(),
        ...(ended.error ? { error: ended.error } : {}),
        ...(context.failedStages.length > 0 ? { failed: [...context.failedStages] } : {}),
      };
      if (writeFailure === undefined) record(completed);
      else tellSinksOnly(completed);
      saving(recorder.path, () => recorder.flush());
      recorder.close();
      // The journal already holds the run's end; now the state file itself becomes current (TeamBot's
      // fields too) and the journal goes. Before the lock is released: nothing of this run writes after.
      saving(stateStore.path, () => stateStore.finish());
      stateStore.release();
      // Only now may another run (a resume) take the feature: no agent of this one is left working on it.
      try {
        lock.release();
      } catch {
        // A lock that cannot be removed (read-only now) is stale once this process exits, and taken over.
      }
      const outcome: RunOutcome = {
        status: ended.status, error: ended.error, failedStages: context.failedStages, featureDir, statePath: stateStore.path,
        eventsPath: recorder.path, durationMs, elapsedSeconds: elapsedSeconds(), context,
        ...(writeFailure === undefined ? {} : { writeFailure }),
      };
      return runEnded(outcome).then(() => settle(outcome));
    });
  };

  /**
   * After a write failed: stops the actor (its agents are stopped like a
   * cancel's) outside the xstate callback that was writing, and ends the run
   * with status `error`. Nothing more is written, so the state file keeps the
   * last checkpoint that was written whole, from which resume starts.
   */
  function stopOnWriteFailure(error: unknown, path: string): void {
    if (writeFailure !== undefined) return;
    writeFailure = writeFailureMessage(error, { path, cwd: options.cwd, feature: basename(featureDir) });
    queueMicrotask(() => {
      if (finished) return;
      const context = actor.getSnapshot().context;
      actor.stop();
      finish('error', context, writeFailure!);
    });
  }

  /** The end of a run whose log cannot be written still reaches the terminal and the inspector. */
  function tellSinksOnly(body: RunEventBody): void {
    const event = stamped(body, new Date(now()));
    for (const sink of options.sinks ?? []) sink.onEvent?.(event);
  }

  /** Stops every agent tree still alive (stopped stages, leftovers of finished ones) and waits until all are gone. */
  async function agentsGone(): Promise<void> {
    await stopAllAgentTrees();
    stopRecordingAgents();
    stopWatchingLog();
  }

  /** Once the run has ended and its state is saved: the review failure report, then each sink's run-end hook. */
  async function runEnded(outcome: RunOutcome): Promise<void> {
    const failedReview = outcome.status === 'review_failed' ? outcome.failedStages[0] : undefined;
    if (failedReview !== undefined) {
      await writeReviewFailureReport(featureDir, {
        stage: failedReview,
        maxIterations: stages.stages[failedReview]?.max_iterations ?? DEFAULT_MAX_ITERATIONS,
        iterations: reviewRounds.filter((round) => round.stage === failedReview),
        lastWork: outcome.context.stages[failedReview]?.workOutput,
        featureDir: shownPath(options.cwd, featureDir),
      }).catch(() => undefined);
    }
    await recorder.runEnded(outcome);
  }

  /** A restored snapshot restarts its running stages (and their groups) without entering them again: say so in the log. */
  function announceRestartedStages() {
    for (const started of restartedGroups(stages, actor.getSnapshot().context)) record({ ...started, resumed: true });
    for (const [stage, stageRecord] of Object.entries(actor.getSnapshot().context.stages)) {
      if (stageRecord.status !== 'running') continue;
      stageStartedAt.set(stage, now());
      const agent = stages.stages[stage]?.work_agent ?? null;
      record({ type: 'stage.started', stage, agent, role: 'work', iteration: stageRecord.iteration ?? 1, resumed: true });
    }
  }

  function stop(status: 'cancelled' | 'timeout') {
    if (finished) return;
    // Saved as it was while running, so resume restarts the stages that were running.
    const persisted = actor.getPersistedSnapshot();
    const context = actor.getSnapshot().context;
    actor.stop();
    finish(status, context, status === 'timeout'
      ? `the time limit of ${formatSeconds(options.maxSeconds)} was reached`
      : 'cancelled by the user', persisted);
  }

  // The session's state is on disk before it announces itself: the state file written whole (after
  // a crash, with the journal the dead session left folded in) and this session's journal started.
  checkpoint('in_progress', null);
  record({
    type: 'run.started', feature: options.objective.featureName, objective: options.objectivePath,
    runner: options.runnerName, stages: stages.stage_order.length, sequential: options.sequential ?? false,
    ...(resume ? { resumed: true, elapsed_seconds: elapsedBefore } : {}),
  });
  const subscription = actor.subscribe({
    next: (snapshot) => {
      if (snapshot.status === 'done') finish(snapshot.context.status, snapshot.context, snapshot.context.error);
      else checkpoint('in_progress', null);
    },
    error: (error) => finish('error', actor.getSnapshot().context, `internal error: ${error instanceof Error ? error.message : String(error)}`),
  });
  if (resume?.snapshot) announceRestartedStages();
  const remainingMs = (options.maxSeconds - elapsedBefore) * 1000;
  cancelTimeLimit = longTimeout(remainingMs, () => stop('timeout'));
  const completedAtStart = Object.entries(actor.getSnapshot().context.stages)
    .filter(([, stageRecord]) => stageRecord.status === 'completed').map(([stage]) => stage);
  const begin = () => {
    if (!finished && writeFailure === undefined) actor.start();
  };
  if (leftovers.length > 0) {
    void killLeftoverAgentTrees(leftovers).then(() => {
      recordAgents(liveAgentTrees()); // the dead teambot's record is history now
      begin();
    });
  }
  else begin();
  return { featureDir, completedAtStart, done, stop };
}

function formatSeconds(seconds: number): string {
  if (seconds >= 3600) return `${+(seconds / 3600).toFixed(2)} h`;
  return seconds >= 60 ? `${+(seconds / 60).toFixed(1)} min` : `${+seconds.toFixed(1)} s`;
}
