import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { AgentTree } from '../runners/process/agentTrees.js';
import { readProcessTable } from '../runners/process/processTable.js';
import { treeMembers, type TreeIdentity } from '../runners/process/treeMembers.js';
import { writeFileAtomically } from './safeFiles.js';

export const AGENTS_FILE_NAME = 'agents.json';

/** `<featureDir>/agents.json`: which teambot process runs which agents, for `status` and for a later run to clean up after a crash. */
export interface AgentsFile {
  readonly teambot_pid: number;
  readonly hostname: string;
  /** The process that kills the agents if teambot dies (absent before the first agent). */
  readonly watchdog_pid?: number | undefined;
  readonly agents: readonly RecordedAgentTree[];
}

export interface RecordedAgentTree {
  readonly stage: string;
  readonly pid: number;
  readonly pgid: number;
  /** The TEAMBOT_AGENT value every process of the tree carries in its environment. */
  readonly marker: string;
  /** ISO 8601. */
  readonly started_at: string;
}

/** What `teambot status` shows of an agent a run recorded. */
export interface RecordedAgent {
  readonly stage: string;
  readonly pid: number;
  readonly startedAt: string;
  /** Whether any process of its tree is alive now. */
  readonly alive: boolean;
}

/**
 * Records this teambot process's live agent trees in agents.json, written
 * whole or not at all (0600, temp file and rename), so a crash never leaves half a record.
 */
export function recordAgentTrees(featureDir: string, trees: readonly AgentTree[], watchdogPid: number | undefined): void {
  const file: AgentsFile = {
    teambot_pid: process.pid, hostname: hostname(), ...(watchdogPid === undefined ? {} : { watchdog_pid: watchdogPid }),
    agents: trees.map((tree) => ({ stage: tree.stage, pid: tree.pid, pgid: tree.pgid, marker: tree.marker, started_at: tree.startedAt })),
  };
  writeFileAtomically(join(featureDir, AGENTS_FILE_NAME), `${JSON.stringify(file, null, 2)}\n`, { root: featureDir, fsync: false });
}

/** agents.json as written, or undefined when there is none (no agent ever ran) or it is unreadable. */
export function readAgentsFile(featureDir: string): AgentsFile | undefined {
  try {
    const file = JSON.parse(readFileSync(join(featureDir, AGENTS_FILE_NAME), 'utf8')) as AgentsFile;
    return typeof file.teambot_pid === 'number' && Array.isArray(file.agents) ? file : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The agents recorded as running in a feature directory, each with whether
 * its tree is alive now (found by its marker on Linux; by its pid and group
 * elsewhere, which a reused pid can fool). Empty when none are recorded.
 *
 * @example recordedAgents('.teambot/add-login') // [{ stage: 'RESEARCH', pid: 4242, startedAt: '2026-…', alive: true }]
 */
export function recordedAgents(featureDir: string): RecordedAgent[] {
  const agents = readAgentsFile(featureDir)?.agents ?? [];
  if (agents.length === 0) return [];
  const table = readProcessTable();
  return agents.map((agent) => ({
    stage: agent.stage, pid: agent.pid, startedAt: agent.started_at,
    alive: treeMembers(table, recordedTreeIdentity(agent, table.markersKnown), process.pid).length > 0,
  }));
}

/** The teambot process that recorded the agents (whether it is alive: `process.kill(pid, 0)`), or undefined. */
export function recordedTeambotPid(featureDir: string): number | undefined {
  return readAgentsFile(featureDir)?.teambot_pid;
}

/**
 * How to find a recorded tree long after it was recorded: by its marker
 * alone where markers can be read, since its pid and group may belong to an
 * unrelated process by now; by pid and group only where nothing better exists.
 */
export function recordedTreeIdentity(agent: RecordedAgentTree, markersKnown: boolean): TreeIdentity {
  return markersKnown ? { marker: agent.marker } : { marker: agent.marker, pid: agent.pid, pgid: agent.pgid };
}
