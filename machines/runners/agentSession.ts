import { createHash } from 'node:crypto';

/**
 * A stable session id (a UUID, as `copilot --session-id` wants) for one agent
 * in one stage of one feature: a review's later iterations, and a resumed
 * stage, continue the same conversation.
 */
export function agentSessionId(featureDir: string, stage: string, agent: string): string {
  const hex = createHash('sha256').update(`${featureDir}\u0000${stage}\u0000${agent}`).digest('hex');
  // RFC 4122 layout, version 5-style bits (name-based), so tools that validate UUIDs accept it.
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
