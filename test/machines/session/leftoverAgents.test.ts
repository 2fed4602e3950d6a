import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfiguration } from '../../../loader/loadConfiguration.js';
import { parseObjective } from '../../../loader/objective.js';
import { AGENTS_FILE_NAME, recordedAgents, recordedTeambotPid } from '../../../machines/persistence/agentsFile.js';
import type { AgentRunner } from '../../../machines/runners/agentRunner.js';
import { startRun } from '../../../machines/session/runSession.js';
import { isAlive, waitFor, withDeadline } from '../../support/processes.js';
import { temporaryDirectory } from '../../support/runCli.js';

const objective = parseObjective('# Objective: Add a dark mode toggle\n## Goals\n- a toggle\n', 'demo.md');
const WAIT_MS = 30_000;

/**
 * A stubborn agent tree as a crashed teambot leaves it: a process marked like an agent that
 * ignores SIGTERM, and a setsid child of it (its own session and group). Resolves once
 * both run, with their pids.
 */
async function orphanTree(dir: string, marker: string) {
  const pidsFile = join(dir, 'orphan.pids');
  const child = `process.on('SIGTERM', () => {}); require('fs').appendFileSync(${JSON.stringify(pidsFile)}, process.pid + '\\n'); setInterval(() => {}, 1000);`;
  const agent = `process.on('SIGTERM', () => {}); require('child_process').spawn(process.execPath, ['-e', ${JSON.stringify(child)}], { detached: true, stdio: 'ignore' }); setInterval(() => {}, 1000);`;
  const orphan = spawn(process.execPath, ['-e', agent], { detached: true, stdio: 'ignore', env: { ...process.env, TEAMBOT_AGENT: marker } });
  orphan.unref();
  await waitFor(() => existsSync(pidsFile) && readFileSync(pidsFile, 'utf8').trim() !== '', WAIT_MS, 'the orphan\'s setsid child to log its pid');
  return { agent: orphan.pid!, child: Number(readFileSync(pidsFile, 'utf8').trim()) };
}

/** The pid of a process that has exited: a teambot that died. */
async function deadPid(): Promise<number> {
  const gone = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await withDeadline(new Promise((resolve) => gone.on('exit', resolve)), WAIT_MS, 'a short-lived process to exit');
  return gone.pid!;
}

describe('agents a dead teambot left', () => {
  it('are reported by recordedAgents, and killed by the next run before its first agent starts', async () => {
    const cwd = temporaryDirectory();
    const featureDir = join(cwd, '.teambot', 'dark-mode');
    mkdirSync(featureDir, { recursive: true });
    const marker = `test.${process.pid}.${Date.now()}`;
    const orphan = await orphanTree(cwd, marker);
    const teambot = await deadPid();
    writeFileSync(join(featureDir, AGENTS_FILE_NAME), JSON.stringify({
      teambot_pid: teambot, hostname: hostname(),
      agents: [{ stage: 'RESEARCH', pid: orphan.agent, pgid: orphan.agent, marker, started_at: '2026-01-01T00:00:00.000Z' }],
    }));
    expect(recordedTeambotPid(featureDir)).toBe(teambot);
    expect(recordedAgents(featureDir)).toEqual([{ stage: 'RESEARCH', pid: orphan.agent, startedAt: '2026-01-01T00:00:00.000Z', alive: true }]);

    const runningAtFirstCall: boolean[] = [];
    const runner: AgentRunner = {
      async run(request) {
        if (runningAtFirstCall.length === 0) runningAtFirstCall.push(isAlive(orphan.agent), isAlive(orphan.child));
        if (request.role === 'review') return { output: 'VERIFIED_APPROVED: ok' };
        if (request.role === 'acceptance') return { output: 'ok', acceptance: { passed: 1, failed: 0, total: 1 } };
        return { output: `${request.stage} done` };
      },
    };
    const configuration = await loadConfiguration({ cwd });
    const handle = startRun({ configuration, objective, objectivePath: 'demo.md', cwd, featureDir, runner, runnerName: 'simulated', maxSeconds: 3600 });
    await withDeadline(handle.done, WAIT_MS, 'the run to end');
    expect(runningAtFirstCall).toEqual([false, false]);
    // The record now names this process, with no agent left.
    expect(recordedTeambotPid(featureDir)).toBe(process.pid);
    expect(recordedAgents(featureDir)).toEqual([]);
  }, 60_000);
});
