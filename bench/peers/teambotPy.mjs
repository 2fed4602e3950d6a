// The Python TeamBot peer: its own CLI (`teambot run objective.md`) on the same stages.yaml as
// teambot, with a fake agent that sleeps the call time, timed as a whole process.
//
// Point the benchmark at a local clone of the Python project:
//   TEAMBOT_PY=/path/to/teambot-python node bench/peers.mjs
// Without TEAMBOT_PY (or when the path does not exist) the comparison is skipped with a message.
//
// UNVERIFIED HERE: the Python project is not on this machine, so this harness has never run. It
// was written from the project's published sources (src/teambot/cli.py, orchestration/
// execution_loop.py, review_iterator.py, acceptance_test_executor.py) and from the files it
// produced (shared/fixtures/teambot/). What it assumes:
// - the clone's package is importable as `teambot` from <clone>/src (src layout), and its
//   dependencies are installed for the Python that runs it: <clone>/.venv/bin/python when it
//   exists (the project uses uv: `uv sync` makes it), else $TEAMBOT_PY_PYTHON, else python3;
// - `teambot.cli.main()` reads sys.argv (`run <objective> -c teambot.json`), loads teambot.json,
//   whose "stages_config" names the stages.yaml to run, and drives
//   `orchestration.ExecutionLoop.run(sdk_client=…)` with a client made by
//   `teambot.copilot.sdk_client.CopilotSDKClient()`;
// - that client is used through `is_available()`, `await start()`, `await stop()` and
//   `await execute_streaming(agent_id, prompt, on_chunk)` → the agent's answer as a string. The
//   driver replaces the class with a fake whose every call sleeps the call time (asyncio.sleep)
//   and answers with text that approves a review ("APPROVED:", never "reject"), and that passes
//   the acceptance tests (a pytest-looking run of test_at_001 and an `acceptance-results` block
//   with AT-001: PASSED). Any other method of the client is an async no-op that also answers so;
// - the acceptance-test stage finds a feature spec with an "Acceptance Test Scenarios" section:
//   the driver writes one to .teambot/<feature>/artifacts/feature_spec.md and
//   docs/feature-specs/<feature>.md before the run (the feature name as teambot derives it, the
//   same rules), and every fake answer carries the same section;
// - the in-loop time is ExecutionLoop.run, timed by wrapping that method; the agent calls are
//   counted by the fake. TeamBot writes orchestration_state.json with a plain write_text (no
//   fsync) after each stage.
// If the clone differs (another client API, another entry point), the run fails and the
// benchmark reports the error instead of a figure.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const SKIP_MESSAGE = 'TeamBot (Python) not compared: set TEAMBOT_PY to a local clone of the Python project '
  + '(e.g. TEAMBOT_PY=~/src/teambot npm run bench), with its dependencies installed (uv sync)';

/** Why the comparison is skipped: TEAMBOT_PY unset, or naming no clone. */
export function skipMessage(env = process.env) {
  return env.TEAMBOT_PY ? `TeamBot (Python) not compared: TEAMBOT_PY=${env.TEAMBOT_PY} has no src/teambot; point it at a local clone of the Python project`
    : SKIP_MESSAGE;
}

/** The clone named by TEAMBOT_PY, when it is set and exists; else undefined. */
export function teambotPyClone(env = process.env) {
  const clone = env.TEAMBOT_PY;
  if (!clone) return undefined;
  const path = resolve(clone.replace(/^~(?=\/)/, env.HOME ?? '~'));
  return existsSync(join(path, 'src', 'teambot')) || existsSync(join(path, 'teambot')) ? path : undefined;
}

/** The Python that runs the clone: its uv virtual environment, $TEAMBOT_PY_PYTHON or python3. */
export function pythonFor(clone, env = process.env) {
  const venv = join(clone, '.venv', 'bin', 'python');
  return existsSync(venv) ? venv : env.TEAMBOT_PY_PYTHON ?? 'python3';
}

const FAKE_ANSWER = `APPROVED: simulated agent output.

## Acceptance Test Scenarios

### AT-001: Simulated scenario

**Description**: A scenario the simulated agents pass.

**Steps**:
1. Run the feature

**Expected Result**: It works

\`\`\`pytest-output
============================= test session starts ==============================
collecting ... collected 1 item
tests/test_acceptance_validation.py::test_at_001_simulated PASSED
============================== 1 passed in 0.01s ===============================
\`\`\`

\`\`\`acceptance-results
AT-001: PASSED
\`\`\`
`;

// Runs TeamBot's CLI in-process with the fake client; writes { calls, runMs } to $BENCH_RESULT.
const DRIVER = String.raw`
import asyncio, json, os, sys, time, types

clone = os.environ["TEAMBOT_PY"]
sys.path.insert(0, os.path.join(clone, "src"))
sys.path.insert(1, clone)
CALL_S = float(os.environ["BENCH_CALL_MS"]) / 1000
ANSWER = open(os.environ["BENCH_ANSWER"], encoding="utf-8").read()
stats = {"calls": 0, "runMs": None}

class FakeCopilotSDKClient:
    """Every agent call sleeps the call time and answers with an approval."""
    def __init__(self, *args, **kwargs):
        pass
    def is_available(self):
        return True
    async def start(self):
        pass
    async def stop(self):
        pass
    async def execute_streaming(self, agent_id, prompt, on_chunk=None, *args, **kwargs):
        stats["calls"] += 1
        await asyncio.sleep(CALL_S)
        if callable(on_chunk):
            on_chunk(ANSWER)
        return ANSWER
    execute = execute_streaming
    def __getattr__(self, name):
        async def noop(*args, **kwargs):
            return ANSWER
        return noop

try:
    import teambot.copilot.sdk_client as sdk_module
except ImportError:
    sdk_module = types.ModuleType("teambot.copilot.sdk_client")
    sys.modules["teambot.copilot.sdk_client"] = sdk_module
sdk_module.CopilotSDKClient = FakeCopilotSDKClient

import teambot.orchestration.execution_loop as loop_module
original_run = loop_module.ExecutionLoop.run
async def timed_run(self, *args, **kwargs):
    started = time.perf_counter()
    try:
        return await original_run(self, *args, **kwargs)
    finally:
        stats["runMs"] = (time.perf_counter() - started) * 1000
loop_module.ExecutionLoop.run = timed_run

from teambot import cli
sys.argv = ["teambot", "run", "objective.md", "-c", "teambot.json"]
try:
    code = cli.main()
finally:
    with open(os.environ["BENCH_RESULT"], "w", encoding="utf-8") as out:
        json.dump(stats, out)
sys.exit(code or 0)
`;

/** TeamBot's team (shared/fixtures/teambot/teambot.json's agents), pointed at `stagesPath`. */
function teamConfig(stagesPath) {
  const agent = (id, persona, parallel = false) => ({ id, persona, display_name: id, parallel_capable: parallel, workflow_stages: [] });
  return {
    teambot_dir: '.teambot',
    default_agent: 'pm',
    stages_config: stagesPath,
    agents: [
      agent('pm', 'project_manager'), agent('ba', 'business_analyst'), agent('writer', 'technical_writer'),
      agent('builder-1', 'builder', true), agent('builder-2', 'builder', true), agent('reviewer', 'reviewer'),
    ],
  };
}

/**
 * One whole-process run of the Python TeamBot in a fresh project.
 *
 * @returns { wallMs, runMs, calls }
 */
export async function runTeambotPy({ clone, callMs, stagesPath, objectivePath, feature, timeoutMs = 600_000 }) {
  const cwd = mkdtempSync(join(tmpdir(), 'teambot-bench-py-'));
  try {
    cpSync(objectivePath, join(cwd, 'objective.md'));
    writeFileSync(join(cwd, 'teambot.json'), `${JSON.stringify(teamConfig(stagesPath), null, 2)}\n`);
    const spec = `# Feature spec (simulated)\n\n${FAKE_ANSWER}`;
    for (const dir of [join(cwd, '.teambot', feature, 'artifacts'), join(cwd, 'docs', 'feature-specs')]) mkdirSync(dir, { recursive: true });
    writeFileSync(join(cwd, '.teambot', feature, 'artifacts', 'feature_spec.md'), spec);
    writeFileSync(join(cwd, 'docs', 'feature-specs', `${feature}.md`), spec);
    const bench = join(cwd, '.bench');
    mkdirSync(bench);
    writeFileSync(join(bench, 'driver.py'), DRIVER);
    writeFileSync(join(bench, 'answer.md'), FAKE_ANSWER);
    const resultFile = join(bench, 'result.json');
    const env = {
      ...process.env, TEAMBOT_PY: clone, BENCH_CALL_MS: String(callMs), BENCH_ANSWER: join(bench, 'answer.md'),
      BENCH_RESULT: resultFile, NO_COLOR: '1', TERM: 'dumb', PYTHONDONTWRITEBYTECODE: '1',
    };
    const started = process.hrtime.bigint();
    const child = spawn(pythonFor(clone), [join(bench, 'driver.py')], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk) => { stderr += chunk; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const code = await new Promise((done, fail) => {
      child.on('error', fail);
      child.on('close', (exitCode, signal) => done(exitCode ?? signal));
    });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    clearTimeout(timer);
    if (code !== 0) throw new Error(`TeamBot (Python) exited with ${code}:\n${stderr.slice(-2000)}`);
    const { calls, runMs } = JSON.parse(readFileSync(resultFile, 'utf8'));
    return { wallMs, runMs, calls };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}
