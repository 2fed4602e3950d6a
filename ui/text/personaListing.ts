import type { Configuration } from '../../loader/loadConfiguration.js';
import { wholeFileIssue, type InputIssue } from '../../loader/inputIssue.js';
import { findPersonaFile, PERSONA_DIRECTORY } from '../../machines/prompts/personaFile.js';

/** Which persona file an agent gets (machines/prompts/personaFile.ts), or null for none. */
export interface AgentPersona {
  readonly agent: string;
  /** Relative to the project root: `.github/agents/builder.agent.md`. */
  readonly file: string | null;
}

/**
 * Every agent a run may call (the team's, then any other a stage names) and
 * its persona file in the project.
 *
 * @example agentPersonas(configuration, '/repo') // [{ agent: 'builder-1', file: '.github/agents/builder.agent.md' }, { agent: 'qa', file: null }]
 */
export function agentPersonas(configuration: Pick<Configuration, 'stages' | 'teambot'>, projectRoot: string): AgentPersona[] {
  const { stages, teambot } = configuration;
  const ids = new Set(teambot.agents.map((agent) => agent.id));
  for (const id of stages.stage_order) {
    const stage = stages.stages[id];
    for (const agent of [stage?.work_agent, stage?.is_review_stage ? stage.review_agent : null]) if (agent) ids.add(agent);
  }
  return [...ids].map((agent) => ({ agent, file: findPersonaFile(projectRoot, agent)?.shown ?? null }));
}

/**
 * The summary's lines: one per agent with the file it gets.
 *
 * @example personaLines([{ agent: 'pm', file: '.github/agents/pm.agent.md' }]) // ['Personas', '  pm  .github/agents/pm.agent.md']
 */
export function personaLines(personas: readonly AgentPersona[]): string[] {
  if (personas.length === 0) return [];
  const width = Math.max(...personas.map((persona) => persona.agent.length));
  return ['Personas', ...personas.map((persona) => `  ${persona.agent.padEnd(width)}  ${persona.file ?? 'none (see its warning)'}`)];
}

/** A warning for each agent without a persona file: it works without one. */
export function personaWarnings(personas: readonly AgentPersona[]): InputIssue[] {
  return personas.filter((persona) => persona.file === null).map((persona) => wholeFileIssue({
    file: PERSONA_DIRECTORY,
    subject: `agent ${persona.agent}`,
    rule: 'persona-missing',
    message: `no persona file for ${persona.agent}: it works without one (no --agent for Copilot, nothing in front of a command runner's prompt)`,
    fix: `write ${PERSONA_DIRECTORY}/${persona.agent}.agent.md${/-\d+$/.test(persona.agent) ? ` or ${PERSONA_DIRECTORY}/${persona.agent.replace(/-\d+$/, '')}.agent.md` : ''} (\`teambot init\` writes the built-in team's)`,
  }));
}
