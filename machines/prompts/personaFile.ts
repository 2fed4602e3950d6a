import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { truncationNote } from './boundedText.js';
import { readBoundedFile } from './readBoundedFile.js';

/** Where persona files live, relative to the project root (what Copilot CLI reads as custom agents). */
export const PERSONA_DIRECTORY = join('.github', 'agents');

/** The most of a persona file put in front of a prompt. */
export const PERSONA_MAX_BYTES = 16 * 1024;

/** The persona file an agent gets. */
export interface PersonaFile {
  /** The persona's name: the file name without `.agent.md` (what Copilot's `--agent` takes). */
  readonly name: string;
  /** Relative to the project root: `.github/agents/builder.agent.md`. */
  readonly shown: string;
  readonly absolute: string;
}

/**
 * The persona names an agent id may use, in order: the id itself, then TeamBot's
 * fallback, the id without a trailing `-<n>` (several builders share one persona).
 * An id that could leave the agents directory has none.
 *
 * @example personaNames('builder-1') // ['builder-1', 'builder']
 * @example personaNames('pm')        // ['pm']
 */
export function personaNames(agentId: string): string[] {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(agentId) || agentId.includes('..')) return [];
  const base = /^(.+)-\d+$/.exec(agentId)?.[1];
  return base ? [agentId, base] : [agentId];
}

/**
 * The first of the agent's persona files that is a regular file in
 * `<projectRoot>/.github/agents/` (a symbolic link or a directory is not one), or null.
 *
 * @example findPersonaFile('/repo', 'builder-1') // { name: 'builder', shown: '.github/agents/builder.agent.md', … } when only that exists
 */
export function findPersonaFile(projectRoot: string, agentId: string): PersonaFile | null {
  for (const name of personaNames(agentId)) {
    const shown = join(PERSONA_DIRECTORY, `${name}.agent.md`);
    const absolute = join(projectRoot, shown);
    if (lstatSync(absolute, { throwIfNoEntry: false })?.isFile()) return { name, shown, absolute };
  }
  return null;
}

/**
 * The persona as the top of a prompt, for agent CLIs that have no notion of
 * custom agents: the file's text without its front matter (Copilot's settings),
 * at most PERSONA_MAX_BYTES of it, and a rule before the task itself.
 * Null when the file cannot be read (the agent then works without a persona).
 */
export function personaPreamble(file: PersonaFile): string | null {
  const read = readBoundedFile(file.absolute, PERSONA_MAX_BYTES);
  if (read === null) return null;
  const text = withoutFrontMatter(read.text).trim();
  if (text === '') return null;
  const note = truncationNote(read, 'the start', file.shown);
  return `${text}${note ? `\n\n${note}` : ''}\n\n---\n\n`;
}

/**
 * The text after a leading `---` … `---` block, or all of it when there is none.
 *
 * @example withoutFrontMatter('---\nname: pm\n---\n# PM\n') // '# PM\n'
 */
export function withoutFrontMatter(text: string): string {
  const match = /^---\r?\n[\s\S]*?\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  return match ? text.slice(match[0].length) : text;
}
