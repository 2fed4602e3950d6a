import { dirname } from 'node:path';
import { redactSecrets, redactSecretsDeep } from '../../loader/secretRegistry.js';
import { openEventLog } from '../persistence/eventLog.js';
import { openStageOutputFile, stageOutputPath, type StageOutputFile } from '../runners/process/stageOutputFile.js';
import { stamped, type RunEventBody } from './runEvents.js';
import type { RunOutcome } from './runSession.js';
import type { RunSink } from './runSink.js';

/**
 * How much of each stage's output events.jsonl keeps (characters of lines, per
 * stage and run); the rest is only in the stage's output file. Without a cap an
 * agent printing a gigabyte makes a log no command can read back.
 */
export const LOGGED_OUTPUT_PER_STAGE = 4 * 1024 * 1024;
/** Batched output written to events.jsonl once this much is waiting (characters), whatever the timer. */
const BATCH_LIMIT = 1024 * 1024;
/**
 * A longer line is cut to this many characters (and says so) in the events and
 * for the views; the output file has it whole. The live view keeps ~1000 lines
 * per stage, so each line it is given lives long enough to reach V8's old
 * generation: at 64 KiB lines, a gigabyte of output meant ~1 GB of promoted
 * garbage and a heap that grew in steps of 100 MB between major collections.
 */
export const SHOWN_LINE_CHARS = 2 * 1024;
/** How soon a stage's output reaches its output file. */
const OUTPUT_FILE_FLUSH_MS = 200;

/**
 * Where a run's events go: each is redacted (no `${ENV}` value ever reaches a
 * file or a screen: secretRegistry.ts), time-stamped with the run's clock,
 * written to events.jsonl (agent output batched), then handed to every sink in
 * order. Agent output also goes, in full, to the stage's output file
 * (`<featureDir>/output/<STAGE>.log`, beside events.jsonl); events.jsonl keeps
 * the first LOGGED_OUTPUT_PER_STAGE of it and says where the rest is. The sinks
 * (the live views) get every line, cut to SHOWN_LINE_CHARS. Memory stays bounded
 * however much is printed.
 *
 * @example const recorder = createRunRecorder({ eventsPath, sinks, now: Date.now }); recorder.record({ type: 'stage.skipped', stage: 'SPEC' });
 */
export function createRunRecorder(options: { readonly eventsPath: string; readonly sinks: readonly RunSink[]; readonly now: () => number }) {
  const eventLog = openEventLog(options.eventsPath);
  const featureDir = dirname(options.eventsPath);
  const outputFiles = new Map<string, StageOutputFile>();
  /** The output files holding lines not yet written: a flush costs what is pending, not every stage so far. */
  const pendingFiles = new Set<StageOutputFile>();
  const loggedPerStage = new Map<string, number>();
  let batched = 0;
  let fileTimer: NodeJS.Timeout | undefined;
  let outputDirectoryMade = false;

  /** Runs a write of an output file; the full output is a convenience, so the run goes on without it (the events keep the start). */
  const bestEffort = (write: () => void) => {
    try {
      write();
    } catch {
      // Nothing to do: see above.
    }
  };
  const flushOutputFiles = () => {
    clearTimeout(fileTimer);
    fileTimer = undefined;
    for (const file of pendingFiles) bestEffort(() => file.flush());
    pendingFiles.clear();
  };
  /** A stage that ended keeps no file open; a stage that runs again (a review round) opens it again. */
  const closeOutputFile = (stage: string) => {
    const file = outputFiles.get(stage);
    if (file === undefined) return;
    outputFiles.delete(stage);
    bestEffort(() => file.close());
  };
  const flush = () => {
    flushOutputFiles();
    eventLog.flush();
    batched = 0;
  };
  const publish = (event: ReturnType<typeof stamped>) => {
    for (const sink of options.sinks) sink.onEvent?.(event);
  };
  /** Logs a line unless the stage's share of events.jsonl is used up; says so once when it is. */
  const logOutput = (stage: string, line: string, at: Date) => {
    const logged = loggedPerStage.get(stage) ?? 0;
    if (logged > LOGGED_OUTPUT_PER_STAGE) return;
    const withinShare = logged + line.length <= LOGGED_OUTPUT_PER_STAGE;
    loggedPerStage.set(stage, withinShare ? logged + line.length : LOGGED_OUTPUT_PER_STAGE + 1);
    const text = withinShare ? line
      : `[teambot] events.jsonl keeps the first ${LOGGED_OUTPUT_PER_STAGE / 1024 / 1024} MiB of ${stage}'s output; all of it is in ${stageOutputPath(featureDir, stage)}`;
    eventLog.appendBatched(stamped({ type: 'stage.output', stage, line: text }, at));
    batched += text.length;
    if (batched >= BATCH_LIMIT) flush();
  };
  const toOutputFile = (stage: string, line: string) => {
    let file = outputFiles.get(stage);
    try {
      if (!file) {
        outputFiles.set(stage, file = openStageOutputFile(stageOutputPath(featureDir, stage), { directoryMade: outputDirectoryMade }));
        outputDirectoryMade = true;
      }
      file.append(line);
      pendingFiles.add(file);
    } catch {
      // As in flushOutputFiles: losing the full output never fails the run.
    }
    fileTimer ??= setTimeout(flushOutputFiles, OUTPUT_FILE_FLUSH_MS).unref();
  };

  return {
    path: eventLog.path,
    /** Logs an event now and publishes it. */
    record(body: RunEventBody): void {
      const event = stamped(redactSecretsDeep(body), new Date(options.now()));
      // Whatever a stage printed is on disk before the event that ends it.
      flushOutputFiles();
      if (body.type === 'stage.completed' || body.type === 'stage.failed' || body.type === 'stage.aborted') closeOutputFile(body.stage);
      if (body.type === 'run.completed') for (const stage of [...outputFiles.keys()]) closeOutputFile(stage);
      eventLog.append(event);
      batched = 0;
      publish(event);
    },
    /** A line an agent printed: published at once, written soon and in order (agents print thousands a second). */
    output(stage: string, line: string): void {
      const safe = redactSecrets(line);
      const at = new Date(options.now());
      toOutputFile(stage, safe);
      const shown = safe.length <= SHOWN_LINE_CHARS ? safe : cutLine(safe, stageOutputPath(featureDir, stage));
      logOutput(stage, shown, at);
      publish(stamped({ type: 'stage.output', stage, line: shown }, at));
    },
    /** Writes what is still batched. */
    flush,
    /** Closes the run's files once it has ended, dropping whatever flush() did not write (a late event opens them again). */
    close(): void {
      for (const stage of [...outputFiles.keys()]) closeOutputFile(stage);
      eventLog.close();
    },
    /** Each sink's run-end hook; a hook that fails (a notifier offline) never changes how the run ended. */
    async runEnded(outcome: RunOutcome): Promise<void> {
      await Promise.allSettled(options.sinks.map(async (sink) => sink.onRunEnd?.(outcome)));
    },
  };
}

/**
 * The start of a long line, saying where the rest is. A copy (through bytes):
 * a plain slice would keep the whole line alive for as long as a view keeps its start.
 */
function cutLine(line: string, outputPath: string): string {
  // ASCII only, so a cut ASCII line stays one byte per character.
  const cut = `${line.slice(0, SHOWN_LINE_CHARS)} ... [${line.length - SHOWN_LINE_CHARS} more characters in ${outputPath}]`;
  return Buffer.from(cut, 'utf8').toString('utf8');
}
