import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPersonaFile, PERSONA_MAX_BYTES, personaNames, personaPreamble, withoutFrontMatter } from '../../../machines/prompts/personaFile.js';
import { temporaryDirectory } from '../../support/runCli.js';

/** A project with the given persona files in .github/agents/. */
function project(files: Record<string, string>): string {
  const root = temporaryDirectory();
  mkdirSync(join(root, '.github', 'agents'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, '.github', 'agents', name), text);
  return root;
}

describe('persona files', () => {
  it('tries the agent id, then TeamBot\'s fallback without a trailing -<n>', () => {
    expect(personaNames('builder-1')).toEqual(['builder-1', 'builder']);
    expect(personaNames('builder-12')).toEqual(['builder-12', 'builder']);
    expect(personaNames('pm')).toEqual(['pm']);
    expect(personaNames('code-reviewer')).toEqual(['code-reviewer']);
    expect(personaNames('-1')).toEqual([]);
    expect(personaNames('../secret')).toEqual([]);
    expect(personaNames('a/b')).toEqual([]);
  });

  it('finds the exact file first, the base name otherwise, and neither a link nor a directory', () => {
    const both = project({ 'builder-1.agent.md': 'one', 'builder.agent.md': 'any' });
    expect(findPersonaFile(both, 'builder-1')).toMatchObject({ name: 'builder-1', shown: '.github/agents/builder-1.agent.md' });
    expect(findPersonaFile(both, 'builder-2')).toMatchObject({ name: 'builder', shown: '.github/agents/builder.agent.md' });
    expect(findPersonaFile(both, 'pm')).toBeNull();
    const odd = project({ 'target.md': 'x' });
    symlinkSync(join(odd, '.github', 'agents', 'target.md'), join(odd, '.github', 'agents', 'pm.agent.md'));
    mkdirSync(join(odd, '.github', 'agents', 'ba.agent.md'));
    expect(findPersonaFile(odd, 'pm')).toBeNull();
    expect(findPersonaFile(odd, 'ba')).toBeNull();
    expect(findPersonaFile(temporaryDirectory(), 'pm')).toBeNull();
  });

  it('puts the persona without its front matter in front of a prompt, bounded, with a note when cut', () => {
    const root = project({
      'pm.agent.md': '---\nname: pm\ndescription: plans\n---\n\n# Project manager\nYou plan.\n',
      'long.agent.md': `# Long\n${'word '.repeat(PERSONA_MAX_BYTES / 2)}`,
      'empty.agent.md': '---\nname: empty\n---\n',
    });
    expect(personaPreamble(findPersonaFile(root, 'pm')!)).toBe('# Project manager\nYou plan.\n\n---\n\n');
    const long = personaPreamble(findPersonaFile(root, 'long')!)!;
    expect(Buffer.byteLength(long)).toBeLessThan(PERSONA_MAX_BYTES + 200);
    expect(long).toMatch(/\(truncated: only the start of 41 KiB is shown; all of it is in \.github\/agents\/long\.agent\.md\)\n\n---\n\n$/);
    expect(personaPreamble(findPersonaFile(root, 'empty')!)).toBeNull();
    expect(withoutFrontMatter('# No front matter\n---\n')).toBe('# No front matter\n---\n');
  });
});
