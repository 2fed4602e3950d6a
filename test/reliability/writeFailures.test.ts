import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, rmSync, truncateSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it, onTestFinished } from 'vitest';
import { readEventLog } from '../../machines/persistence/eventLog.js';
import { isAlive, waitFor, withDeadline } from '../support/processes.js';
import { cliPath, runCliInProcess } from '../support/runCli.js';
import { commands, createProject, demoFeature, featureDirectory, stackTraceLine, stateFile } from '../support/project.js';
import { fakeCopilotProject } from '../support/fakeCopilotProject.js';
import { readRunState } from '../support/runState.js';

const DEADLINE_MS = 30_000;

/** The fake-copilot project (support/fakeCopilotProject.ts), RESEARCH's agent working until it is stopped. */
async function agentProject() {
  const project = await fakeCopilotProject({ RESEARCH: { hang: true } });
  const env = project.env({ TEAMBOT_KILL_GRACE_MS: '200' });
  const teambot = (args: string[]) => execa('node', [cliPath, ...args, '--no-ui'], { cwd: project.cwd, reject: false, stdin: 'ignore', env });
  const agentPids = () => project.calls().filter((call) => call.stage === 'RESEARCH' && call.pid !== undefined).map((call) => call.pid!);
  return { ...project, teambot, agentPids };
}

/**
 * Makes `.teambot` a 2 MiB tmpfs, so the disk really fills (needs mount rights:
 * root here). Without them the fallback is a real EACCES: the log and the
 * directory made read-only, which a non-root process cannot write.
 */
async function smallDisk(cwd: string): Promise<{ fill: () => void; free: () => void; cause: RegExp } | undefined> {
  const mountPoint = join(cwd, '.teambot');
  mkdirSync(mountPoint);
  const mounted = await execa('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0700', 'tmpfs', mountPoint], { reject: false });
  if (mounted.exitCode !== 0) return undefined;
  onTestFinished(async () => {
    await execa('umount', ['-l', mountPoint], { reject: false });
  });
  const filler = join(mountPoint, 'filler');
  return {
    fill: () => {
      const chunk = Buffer.alloc(64 * 1024, 120);
      for (;;) {
        try {
          appendFileSync(filler, chunk);
        } catch {
          break; // ENOSPC: full
        }
      }
    },
    free: () => rmSync(filler, { force: true }),
    cause: /the disk is full \(ENOSPC\); the run stopped, its last saved state is intact; free space, then `teambot resume dark-mode-toggle`/,
  };
}

function readOnly(featureDir: string): { fill: () => void; free: () => void; cause: RegExp } {
  const events = join(featureDir, 'events.jsonl');
  return {
    fill: () => {
      chmodSync(events, 0o400);
      chmodSync(featureDir, 0o500);
    },
    free: () => {
      chmodSync(featureDir, 0o700);
      chmodSync(events, 0o600);
    },
    cause: /permission denied \(EACCES\); the run stopped, its last saved state is intact; make the directory writable, then `teambot resume dark-mode-toggle`/,
  };
}

describe('a run whose files cannot be written stops cleanly', () => {
  it('disk full while an agent works: exit 1 with one line naming the file and the cause, the agent gone, the state whole; resume completes once there is space', async () => {
    const project = await agentProject();
    const disk = (await smallDisk(project.cwd)) ?? readOnly(project.featureDir);
    const run = project.teambot(['run', 'objective.md']);
    onTestFinished(() => {
      run.kill('SIGKILL');
      for (const pid of project.agentPids().filter(isAlive)) process.kill(pid, 'SIGKILL');
    });
    let printed = '';
    run.stdout!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    await waitFor(() => /stage\.completed\s+TEST_STRATEGY/.test(printed) && project.agentPids().length > 0, DEADLINE_MS,
      'TEST_STRATEGY to complete while RESEARCH\'s agent works');
    const agents = project.agentPids();

    disk.fill();
    const result = await withDeadline(run, DEADLINE_MS, 'teambot to stop once the disk is full');

    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(1);
    const lines = result.stderr.split('\n').filter((line) => line.startsWith('teambot: cannot write'));
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^teambot: cannot write \.teambot\/dark-mode-toggle\/\S+: /);
    expect(lines[0]).toMatch(disk.cause);
    expect(result.stderr).not.toMatch(stackTraceLine);
    expect(agents.filter(isAlive), 'RESEARCH\'s agent').toEqual([]);
    const state = readRunState<{ status: string; stages: Record<string, { status: string }> }>(project.featureDir);
    expect(state.stages.TEST_STRATEGY?.status).toBe('completed');
    expect(existsSync(join(project.featureDir, 'run.lock')), 'the lock is released').toBe(false);

    disk.free();
    project.setScript({});
    const resumed = await withDeadline(project.teambot(['resume', demoFeature]), 60_000, 'the resume to finish');
    expect(resumed.exitCode, `${resumed.stdout}\n${resumed.stderr}`).toBe(0);
    const after = JSON.parse(readFileSync(join(project.featureDir, 'orchestration_state.json'), 'utf8')) as { status: string };
    expect(after.status).toBe('complete');
  }, 120_000);
});

describe('a log cut short by a crash', () => {
  it('the next session starts a new line, so its run.started is not swallowed by the broken one', async () => {
    const cwd = createProject('default_ms: 2\nstages:\n  SPEC: { fail: simulated failure }\n');
    expect((await runCliInProcess(commands.run, { cwd })).exitCode).toBe(1);
    const events = join(cwd, featureDirectory, 'events.jsonl');
    truncateSync(events, statSync(events).size - 12); // run.completed, cut mid-line
    writeFileSync(join(cwd, 'sim.yaml'), 'default_ms: 2\n');

    const resumed = await runCliInProcess(commands.resume, { cwd });

    expect(resumed.exitCode, resumed.stderr).toBe(0);
    const started = readEventLog(events).filter((event) => event.type === 'run.started');
    expect(started).toHaveLength(2);
    expect(started[1]).toMatchObject({ resumed: true });
    expect(readEventLog(events).at(-1)).toMatchObject({ type: 'run.completed', status: 'complete' });
    expect(JSON.parse(readFileSync(join(cwd, stateFile), 'utf8'))).toMatchObject({ status: 'complete' });
  });
});
