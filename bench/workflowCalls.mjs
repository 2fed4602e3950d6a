// The shape of a workflow as `teambot validate --json` describes it, reduced to what the timing
// benchmarks need: with every review approved at once and acceptance passing on the first round,
// a review stage is 2 agent calls, the terminal stage 0, any other stage 1; on the critical path
// a parallel group is one slot (its stages all take the same time).
import { assertSucceeded, runTeambot } from './lib.mjs';

/**
 * @param cwd a project directory (its teambot.json / stages.yaml, else the built-in workflow)
 * @returns { outline, agentCalls, criticalSlots, groups: Map<group, stage ids> }
 */
export async function workflowCalls(cwd) {
  const args = ['validate', '--json', '--runner', 'simulated'];
  const { stdout } = assertSucceeded(await runTeambot(args, { cwd, stdout: 'pipe', probe: false }), args);
  const outline = JSON.parse(stdout).stages;
  const callsOf = (stage) => (stage.kind === 'review' ? 2 : stage.kind === 'terminal' ? 0 : 1);
  const groups = new Map();
  for (const stage of outline.filter((candidate) => candidate.group !== null)) {
    groups.set(stage.group, [...(groups.get(stage.group) ?? []), stage.id]);
  }
  return {
    outline,
    groups,
    agentCalls: outline.reduce((sum, stage) => sum + callsOf(stage), 0),
    criticalSlots: outline.filter((stage) => stage.group === null).reduce((sum, stage) => sum + callsOf(stage), 0) + groups.size,
  };
}

/**
 * How long a group's stages took in one session: group.started → group.completed when it ran as
 * a group, else (--sequential) the first member's start to the last member's end.
 */
export function groupSpanMs(events, groupId, members) {
  const at = (event) => Date.parse(event.ts);
  const started = events.find((event) => event.type === 'group.started' && event.group === groupId);
  const completed = events.find((event) => event.type === 'group.completed' && event.group === groupId);
  if (started && completed) return at(completed) - at(started);
  const starts = events.filter((event) => event.type === 'stage.started' && members.includes(event.stage)).map(at);
  const ends = events.filter((event) => event.type === 'stage.completed' && members.includes(event.stage)).map(at);
  return Math.max(...ends) - Math.min(...starts);
}
