/**
 * Colours for agent names. Red, green and yellow are left out because the
 * status marks use them, white and grey because they vanish on some themes;
 * the name itself stays readable with colours off.
 */
export const AGENT_PALETTE = ['cyan', 'magenta', 'blue', 'cyanBright', 'magentaBright', 'blueBright'] as const;

export type AgentColor = (typeof AGENT_PALETTE)[number];

/**
 * A stable colour for an agent id (FNV-1a hash into a small palette), so an
 * agent keeps its colour across stages, runs and resumes.
 *
 * @example agentColor('builder-1') === agentColor('builder-1') // true
 */
export function agentColor(agentId: string): AgentColor {
  let hash = 0x811c9dc5;
  for (let index = 0; index < agentId.length; index++) {
    hash ^= agentId.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return AGENT_PALETTE[hash % AGENT_PALETTE.length] ?? AGENT_PALETTE[0];
}
