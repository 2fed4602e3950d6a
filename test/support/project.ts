import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RunEvent } from '../../machines/session/runEvents.js';
import { fixturesDir, repoRoot, temporaryDirectory } from './runCli.js';
import { readRunState } from './runState.js';

/** A line of a Node.js stack trace; teambot must never print one for bad input. */
export const stackTraceLine = /^\s+at .+:\d+:\d+\)?$/m;

/** The objective every reliability project uses: a real TeamBot objective (its title names the feature). */
export const objectiveFile = 'objective-notify-agent.md';
export const feature = 'simple-notification-end';
export const featureDirectory = join('.teambot', feature);
export const stateFile = join(featureDirectory, 'orchestration_state.json');

export const fixtureText = {
  // TeamBot's stages.yaml names no acceptance command; teambot's preflight wants one (a simulated run would warn).
  stages: readFileSync(join(fixturesDir, 'stages.yaml'), 'utf8')
    .replace(/( +)is_acceptance_test_stage: true[^\n]*\n/, '$&$1acceptance_test_command: [node, --version]\n'),
  // Its Telegram channel is switched off: a run would otherwise warn that the token is not set
  // (notifications have their own tests, with a fake Telegram server).
  team: readFileSync(join(fixturesDir, 'teambot.json'), 'utf8').replace(/("notifications": \{\s*"enabled": )true/, '$1false'),
  objective: readFileSync(join(fixturesDir, 'objectives', objectiveFile), 'utf8'),
  legacyState: readFileSync(join(fixturesDir, 'state', 'shared-context.json'), 'utf8'),
};

/** The prompt files TeamBot's stages.yaml names (relative to the project); a run checks that they exist. */
const promptTemplates = [...fixtureText.stages.matchAll(/^\s*prompt_template:\s*(\.agent\/\S+)/gm)].map((match) => match[1]!);

/**
 * A fresh project made of TeamBot's real files: stages.yaml (with an acceptance command), teambot.json, the
 * prompt templates stages.yaml names, an objective and a simulation file, so
 * `validate`, `run --runner simulated`, `resume` and `status` all succeed on it
 * until a test breaks one input.
 */
export function createProject(simulation = 'default_ms: 2\n'): string {
  const cwd = temporaryDirectory();
  writeFileSync(join(cwd, 'stages.yaml'), fixtureText.stages);
  writeFileSync(join(cwd, 'teambot.json'), fixtureText.team);
  // A persona for every agent, as a TeamBot project has them (builder-1 and builder-2 share builder's).
  for (const persona of ['pm', 'ba', 'writer', 'builder', 'reviewer']) {
    mkdirSync(join(cwd, '.github', 'agents'), { recursive: true });
    writeFileSync(join(cwd, '.github', 'agents', `${persona}.agent.md`), `# ${persona}\nYou are the team's ${persona}.\n`);
  }
  copyFileSync(join(fixturesDir, 'objectives', objectiveFile), join(cwd, objectiveFile));
  for (const template of promptTemplates) {
    mkdirSync(dirname(join(cwd, template)), { recursive: true });
    writeFileSync(join(cwd, template), `# ${template}\nDo the stage's work as the stage description says.\n`);
  }
  writeFileSync(join(cwd, 'sim.yaml'), simulation);
  return cwd;
}

/** Arguments of each command, run from the project directory. */
export const commands = {
  validate: ['validate', 'stages.yaml', '--config', 'teambot.json', '--objective', objectiveFile, '--runner', 'simulated'],
  run: ['run', objectiveFile, '--runner', 'simulated', '--simulate', 'sim.yaml', '--no-ui'],
  resume: ['resume', featureDirectory, '--runner', 'simulated', '--simulate', 'sim.yaml', '--no-ui'],
  status: ['status', featureDirectory],
} as const;
export type CommandName = keyof typeof commands;

/** Every entry under a directory: files with size, mtime and sha256, directories, symbolic links. */
export function snapshot(root: string): Record<string, string> {
  const entries: Record<string, string> = {};
  const walk = (relative: string) => {
    for (const name of readdirSync(join(root, relative)).sort()) {
      const path = relative ? join(relative, name) : name;
      const stats = lstatSync(join(root, path));
      if (stats.isDirectory()) {
        entries[`${path}/`] = 'directory';
        walk(path);
      } else if (stats.isSymbolicLink()) {
        entries[path] = `link → ${readlinkSync(join(root, path))}`;
      } else {
        const sha256 = createHash('sha256').update(readFileSync(join(root, path))).digest('hex');
        entries[path] = `${stats.size} bytes, mtime ${stats.mtimeMs}, sha256 ${sha256}`;
      }
    }
  };
  walk('');
  return entries;
}

/** A line of events.jsonl: the event type the run itself logs. */
export type LoggedEvent = RunEvent;

/**
 * The events in `<featureDir>/events.jsonl` (none when it does not exist yet);
 * a last line cut short by a kill is left out.
 */
export function readEventsFile(featureDir: string): LoggedEvent[] {
  const path = join(featureDir, 'events.jsonl');
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, 'utf8').split('\n');
  return lines.slice(0, -1).filter((line) => line !== '').map((line) => JSON.parse(line) as LoggedEvent);
}

/** The events of the TeamBot-fixture project in `cwd` (createProject). */
export function readEvents(cwd: string): LoggedEvent[] {
  return readEventsFile(join(cwd, featureDirectory));
}

/** The feature the demo objective (config/objectives/demo.md) names. */
export const demoFeature = 'dark-mode-toggle';
export const demoObjective = join(repoRoot, 'config', 'objectives', 'demo.md');

/** What a test reads of orchestration_state.json. */
export interface SavedState { schema_version?: number; status: string; stage_outputs: Record<string, string>; elapsed_seconds: number; [field: string]: unknown }

/**
 * A fresh directory for a simulated run of the demo objective with the
 * built-in workflow: `simulation` is written to sim.yaml; `run` and `resume`
 * are the command lines; `state()` and `events()` read what the run wrote.
 */
export function demoProject(simulation: string) {
  const cwd = temporaryDirectory();
  writeFileSync(join(cwd, 'sim.yaml'), simulation);
  const featureDir = join(cwd, '.teambot', demoFeature);
  return {
    cwd,
    featureDir,
    run: ['run', demoObjective, '--runner', 'simulated', '--simulate', 'sim.yaml', '--no-ui'],
    resume: ['run', '--resume', '--runner', 'simulated', '--simulate', 'sim.yaml', '--no-ui'],
    state: () => readRunState<SavedState>(featureDir),
    events: () => readEventsFile(featureDir),
    simulate: (text: string) => writeFileSync(join(cwd, 'sim.yaml'), text),
  };
}

/** Every stage that does work (all but the terminal one), in order. */
export const workingStages = ['SETUP', 'BUSINESS_PROBLEM', 'SPEC', 'SPEC_REVIEW', 'RESEARCH', 'TEST_STRATEGY', 'PLAN', 'PLAN_REVIEW',
  'IMPLEMENTATION', 'IMPLEMENTATION_REVIEW', 'TEST', 'ACCEPTANCE_TEST', 'POST_REVIEW'];

export { fileSize, seededRandom, waitForEventLine } from './runProgress.mjs';
