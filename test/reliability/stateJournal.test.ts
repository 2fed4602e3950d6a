import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfiguration } from '../../loader/loadConfiguration.js';
import { readStateFile } from '../../loader/readStateFile.js';
import { journalPathFor, parseJournalLine } from '../../loader/stateJournal.js';
import type { StagesConfig } from '../../loader/stagesSchema.js';
import { runCli } from '../support/runCli.js';
import { commands, createProject, featureDirectory, readEvents, stateFile, type LoggedEvent } from '../support/project.js';
import { readRunState } from '../support/runState.js';

/**
 * The checkpoint journal under SIGKILL at the two moments a kill from outside
 * cannot aim at: halfway through a record, and between a rewrite of the state
 * file and the emptying of the journal. TEAMBOT_TEST_CRASH_AT makes teambot
 * kill itself exactly there (machines/persistence/crashPoints.ts).
 */

interface Saved { status: string; journal_id?: string; stages: Record<string, { status: string }>; stage_outputs: Record<string, string> }

const completedIn = (state: Saved) => new Set(Object.entries(state.stages).filter(([, stage]) => stage.status === 'completed').map(([id]) => id));

/** Stages that started in the events after the first `from` events: what a resume ran. */
const startedAfter = (events: readonly LoggedEvent[], from: number) =>
  events.slice(from).flatMap((event) => (event.type === 'stage.started' ? [event.stage] : []));

/** 0 ms agents; three rejected reviews make about twenty checkpoints and two rewrites of the state file. */
const SIMULATION = 'default_ms: 0\nstages:\n  SPEC_REVIEW: { verdicts: [reject, reject] }\n  PLAN_REVIEW: { verdicts: [reject] }\n';

/** Runs the fixture workflow until teambot kills itself at `crashAt`. */
async function crashedRun(crashAt: string): Promise<string> {
  const cwd = createProject(SIMULATION);
  const run = await runCli(commands.run, { cwd, env: { TEAMBOT_TEST_CRASH_AT: crashAt } });
  if (run.signal !== 'SIGKILL') throw new Error(`the run did not reach ${crashAt} (it ended with exit code ${run.exitCode}): choose an earlier occurrence\n${run.stderr}`);
  return cwd;
}

/** Resumes a crashed run to the end and checks that no stage the crash had completed ran again. */
async function resumesWithoutRepeating(cwd: string, completedBefore: ReadonlySet<string>): Promise<void> {
  const eventsBefore = readEvents(cwd).length;
  const status = await runCli(commands.status, { cwd });
  expect(status.exitCode, status.stderr).toBe(0);
  expect(status.stdout).toMatch(/interrupted/);

  const resumed = await runCli(commands.resume, { cwd });
  expect(resumed.exitCode, resumed.stderr).toBe(0);
  const after = readRunState<Saved>(join(cwd, featureDirectory));
  expect(after.status).toBe('complete');
  expect(startedAfter(readEvents(cwd), eventsBefore).filter((stage) => completedBefore.has(stage))).toEqual([]);
  expect(existsSync(journalPathFor(join(cwd, stateFile))), 'the journal is gone once the run is complete').toBe(false);
}

describe('a SIGKILL halfway through a journal record', () => {
  it.each([2, 9, 18])('record %i: the torn record is ignored, status reads the run, resume completes without re-running a completed stage', async (record) => {
    const cwd = await crashedRun(`journal-record:${record}`);
    const journal = readFileSync(journalPathFor(join(cwd, stateFile)), 'utf8');
    expect(journal.endsWith('\n'), 'the journal ends in a torn record').toBe(false);
    // The whole records before it: 1, 2, … of the state file's generation (a rewrite mid-run starts a new one).
    const generation = (JSON.parse(readFileSync(join(cwd, stateFile), 'utf8')) as Saved).journal_id;
    const whole = journal.split('\n').slice(0, -1).map((line) => parseJournalLine(line));
    expect(whole.map((parsed) => [parsed?.journal, parsed?.seq])).toEqual(whole.map((_, index) => [generation, index + 1]));

    const completedBefore = completedIn(readRunState<Saved>(join(cwd, featureDirectory)));
    // Each checkpoint before the torn one counts: the run got somewhere (record 2 is the first stage's start).
    if (record > 2) expect(completedBefore.size).not.toBe(0);
    await resumesWithoutRepeating(cwd, completedBefore);
  });
});

describe('a SIGKILL between a rewrite of the state file and the emptying of the journal', () => {
  /** The killed run's state file, the records its journal holds, and the state as a reader sees it. */
  const afterRewrite = async (rewrite: number) => {
    const cwd = await crashedRun(`compaction:${rewrite}`);
    const state = JSON.parse(readFileSync(join(cwd, stateFile), 'utf8')) as Saved;
    const records = readFileSync(journalPathFor(join(cwd, stateFile)), 'utf8').split('\n').filter(Boolean).map((line) => parseJournalLine(line)!);
    expect(records.length, 'the old generation\'s records are still in the journal').not.toBe(0);
    expect(records.filter((record) => record.journal === state.journal_id)).toEqual([]);

    // The rewritten file already holds what those records say.
    const current = readRunState<Saved>(join(cwd, featureDirectory));
    expect(current).toEqual(state);
    return { cwd, current };
  };

  it('a rewrite mid-run (the journal outgrew the state): the old generation\'s records are ignored, never applied twice; resume completes', async () => {
    const { cwd, current } = await afterRewrite(2);
    expect(current.status).toBe('in_progress');
    await resumesWithoutRepeating(cwd, completedIn(current));
  });

  it('the rewrite at the run\'s end: the run is complete, and resume says so', async () => {
    const { cwd, current } = await afterRewrite(3);
    expect(current.status).toBe('complete');
    const resumed = await runCli(commands.resume, { cwd });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/already complete/);
  });
});

describe('every prefix of a journal loads', () => {
  let stages: StagesConfig;
  let stateText: string;
  let journal: Buffer;

  beforeAll(async () => {
    const cwd = await crashedRun('journal-record:19');
    stages = (await loadConfiguration({ cwd })).stages;
    stateText = readFileSync(join(cwd, stateFile), 'utf8');
    journal = readFileSync(journalPathFor(join(cwd, stateFile)));
  });

  it('cut at any byte (a kill during any write), the state loads and knows at least what the shorter prefixes knew', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teambot-journal-prefix-'));
    mkdirSync(dir, { recursive: true });
    const statePath = join(dir, 'orchestration_state.json');
    writeFileSync(statePath, stateText);
    const ends = [...journal.entries()].filter(([, byte]) => byte === 0x0a).map(([index]) => index + 1);
    // Every record boundary, one byte either side of it, and points inside records.
    const cuts = [...new Set([0, ...ends.flatMap((end) => [end - 1, end, end + 1]), ...ends.map((end, index) => Math.floor((end + (ends[index - 1] ?? 0)) / 2)), journal.length])]
      .filter((cut) => cut >= 0 && cut <= journal.length).sort((a, b) => a - b);
    let known = new Set<string>();
    for (const cut of cuts) {
      writeFileSync(journalPathFor(statePath), journal.subarray(0, cut));
      const state = await readStateFile(statePath, stages);
      const completed = new Set(Object.keys(state.completed));
      expect([...known].filter((stage) => !completed.has(stage)), `cut at byte ${cut} forgot a completed stage`).toEqual([]);
      known = completed;
    }
    expect(known.size, 'the whole journal records completed stages').not.toBe(0);
  });

  it('a damaged record before the last is refused with the journal\'s line and a fix, nothing changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teambot-journal-damaged-'));
    const statePath = join(dir, 'orchestration_state.json');
    writeFileSync(statePath, stateText);
    const lines = journal.toString('utf8').split('\n');
    lines[2] = lines[2]!.slice(0, 10);
    const damaged = lines.join('\n');
    writeFileSync(journalPathFor(statePath), damaged);
    const error = await readStateFile(statePath, stages).catch((caught: unknown) => caught) as { issues?: unknown[] };
    expect(error.issues).toEqual([expect.objectContaining({ file: journalPathFor(statePath), line: 3, rule: 'state-corrupt', fix: expect.stringMatching(/head -n 2/) })]);
    expect(readFileSync(journalPathFor(statePath), 'utf8')).toBe(damaged);
  });
});
