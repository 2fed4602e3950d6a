import { readFileSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveFeatureName } from '../../loader/featureName.js';
import { InputError } from '../../loader/inputIssue.js';
import { loadObjectiveFile } from '../../loader/loadObjective.js';
import { parseObjective } from '../../loader/objective.js';
import { OBJECTIVE_PLACEHOLDERS } from '../../loader/objectivePlaceholders.js';
import { normalizeMarkdown, splitSections } from '../../loader/objectiveSections.js';

const fixturesDir = new URL('../fixtures/teambot/objectives/', import.meta.url);

interface TeamBotResult {
  title: string;
  feature_name: string;
  goals: number;
  criteria: number;
  criteria_done: number;
  constraints: number;
  has_context: boolean;
}

const expected = JSON.parse(
  await readFile(new URL('expected.json', fixturesDir), 'utf8'),
) as Record<string, TeamBotResult>;

const readFixture = (name: string) => readFile(new URL(name, fixturesDir), 'utf8');

/** The same summary TeamBot's results were recorded in. */
function summarize(text: string, fileName: string): TeamBotResult {
  const objective = parseObjective(text, fileName);
  return {
    title: objective.title,
    feature_name: objective.featureName,
    goals: objective.goals.length,
    criteria: objective.successCriteria.length,
    criteria_done: objective.successCriteria.filter((criterion) => criterion.done).length,
    constraints: objective.constraints.length,
    has_context: objective.context !== null,
  };
}

describe('TeamBot fixtures', () => {
  it('has an expected result for every fixture file', async () => {
    const files = (await readdir(fixturesDir)).filter((name) => name.endsWith('.md'));
    expect(files.length).toBeGreaterThan(0);
    expect(files.sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))('%s matches TeamBot', async (name, result) => {
    expect(summarize(await readFixture(name), name)).toEqual(result);
  });

  it.each(Object.keys(expected))('%s parses identically with CRLF, CR and a BOM', async (name) => {
    const text = await readFixture(name);
    const lf = parseObjective(text, name);
    expect(parseObjective(`\uFEFF${text.replace(/\n/g, '\r\n')}`, name)).toEqual(lf);
    expect(parseObjective(text.replace(/\n/g, '\r'), name)).toEqual(lf);
  });

  it('takes the notify-agent title from a `# ` comment inside a code fence, as TeamBot does', async () => {
    const objective = parseObjective(await readFixture('objective-notify-agent.md'), 'objective-notify-agent.md');
    expect(objective.title).toBe('Simple notification at end of pipeline');
  });

  it('reads inline goals with nested list items', async () => {
    const objective = parseObjective(await readFixture('objective-enhanced-text-input.md'), 'x.md');
    expect(objective.goals[0]).toMatch(/^Currently the text input/);
    expect(objective.goals[4]).toMatch(/^Ensure the input experience/);
  });
});

describe('splitSections', () => {
  it('keeps ### headings inside their section and ignores text before the first ## heading', () => {
    const sections = splitSections('# Title\nintro\n## Goals\n- a\n### Detail\n- b\n## Context\nc');
    expect(sections.map((section) => [section.heading, section.line])).toEqual([
      ['Goals', 3],
      ['Context', 7],
    ]);
    expect(sections[0]!.body.map((line) => line.text)).toEqual(['- a', '### Detail', '- b']);
  });

  it('does not treat ## lines in ``` or ~~~ fences as headings', () => {
    const text = [
      '## Real',
      '```md',
      '## Fake one',
      '```',
      '   ~~~',
      '## Fake two',
      '~~~',
      '## Also real',
    ].join('\n');
    expect(splitSections(text).map((section) => section.heading)).toEqual(['Real', 'Also real']);
  });

  it('closes a fence only with the same character and at least the same length', () => {
    const text = ['````', '```', '~~~~', '## Still code', '````', '## After'].join('\n');
    expect(splitSections(text).map((section) => section.heading)).toEqual(['After']);
  });

  it('treats a fence indented 4 spaces as no fence', () => {
    expect(splitSections('    ```\n## Goals\n- a').map((section) => section.heading)).toEqual(['Goals']);
  });

  it('runs an unclosed fence to the end of the document', () => {
    expect(splitSections('## A\n```\n## B')).toHaveLength(1);
  });

  it('normalizes CRLF, lone CR and a leading BOM', () => {
    expect(normalizeMarkdown('\uFEFF# A\r\nB\rC\n')).toBe('# A\nB\nC\n');
    expect(splitSections('\uFEFF## Goals\r\n- a\r\n')[0]!.body.map((line) => line.text)).toEqual(['- a', '']);
  });
});

describe('parseObjective', () => {
  it('does not take a ## Goals heading inside a code fence as the goals section', () => {
    const text = '# Title\n\n```md\n## Goals\n- fake goal\n```\n\n**Goals**: the real goal\n';
    expect(parseObjective(text, 'o.md').goals).toEqual(['the real goal']);
  });

  it('reads list items of a ## Goal section (-, * and numbered, nested included)', () => {
    const text = '# T\n## Goal\n- one\n* two\n1. three\n  - four\n---\nprose\n## Next\n- not a goal\n';
    expect(parseObjective(text, 'o.md').goals).toEqual(['one', 'two', 'three', 'four']);
  });

  it('ignores list items inside code blocks of a section', () => {
    const text = '## Goals\n- real\n```\n- code\n```\n';
    expect(parseObjective(text, 'o.md').goals).toEqual(['real']);
  });

  it('prefers a ## Goals section over inline goals', () => {
    const text = '**Goals**: inline\n## Goals\n- from section\n';
    expect(parseObjective(text, 'o.md').goals).toEqual(['from section']);
  });

  it('reads a one-line inline **Goal**: as one goal', () => {
    expect(parseObjective('**Goal**: Ship it fast\n\nlater', 'o.md').goals).toEqual(['Ship it fast']);
  });

  it('continues an inline goal block on the following non-blank lines', () => {
    const text = '## Objective\n\n**Goals**: Ship it fast\nsecond line\n\nlater\n';
    expect(parseObjective(text, 'o.md').goals).toEqual(['Ship it fast', 'second line']);
  });

  it('reads multi-line inline goals after blank lines, stopping at a blank line or ** line', () => {
    const text = '**Goal**:\n\n\n- first\nplain line\n1. third\n**Problem**:\n- not a goal\n';
    expect(parseObjective(text, 'o.md').goals).toEqual(['first', 'plain line', 'third']);
    const blank = '**Goals**:\n- first\n\n- after blank\n';
    expect(parseObjective(blank, 'o.md').goals).toEqual(['first']);
  });

  it('ignores an inline **Goals**: marker inside a code fence', () => {
    expect(parseObjective('```\n**Goals**: code\n```\n', 'o.md').goals).toEqual([]);
  });

  it('reads inline **Success Criteria**: checkboxes, counting [x] and [X] as done', () => {
    const text = [
      '**Success Criteria**:',
      '',
      '- [ ] open item',
      '- [x] done item',
      '* [X] done with star',
      '',
      '- [ ] after a blank line: not part of it',
    ].join('\n');
    expect(parseObjective(text, 'o.md').successCriteria).toEqual([
      { text: 'open item', done: false },
      { text: 'done item', done: true },
      { text: 'done with star', done: true },
    ]);
  });

  it('reads checkboxes of a ## Success Criteria section whatever its case and trailing colon', () => {
    const text = '## success criteria:\n- [x] a\nsome prose\n- plain item\n### More\n* [ ] b\n## Other\n- [ ] c\n';
    expect(parseObjective(text, 'o.md').successCriteria).toEqual([
      { text: 'a', done: true },
      { text: 'b', done: false },
    ]);
  });

  it('reads ## Key Constraints and ## Constraints sections, not inline **Key Constraints**:', () => {
    expect(parseObjective('## Key Constraints\n- one\n- two\n', 'o.md').constraints).toEqual(['one', 'two']);
    expect(parseObjective('## CONSTRAINTS\n* only\n', 'o.md').constraints).toEqual(['only']);
    expect(parseObjective('**Key Constraints**:\n- inline\n', 'o.md').constraints).toEqual([]);
  });

  it('reads ## Technical Context and ## Context as trimmed text, null when absent or empty', () => {
    const text = '## Technical Context\n\n**Target**: src/\n\n### Notes\n- x\n\n## Next\n';
    expect(parseObjective(text, 'o.md').context).toBe('**Target**: src/\n\n### Notes\n- x');
    expect(parseObjective('## Context\nplain\n', 'o.md').context).toBe('plain');
    expect(parseObjective('## Additional Context\nnot it\n', 'o.md').context).toBeNull();
    expect(parseObjective('## Context\n\n\n## Next\n', 'o.md').context).toBeNull();
  });

  it('takes the title from the first # line, removing a leading Objective:', () => {
    expect(parseObjective('intro\n# Objective: Dark mode\n# Later\n', 'o.md').title).toBe('Dark mode');
    expect(parseObjective('# TeamBot Objective: X\n', 'o.md').title).toBe('TeamBot Objective: X');
  });

  it('titles a file without # line "Objective" when it has ## Objective, else "Untitled"', () => {
    expect(parseObjective('## objective\ntext\n', 'o.md').title).toBe('Objective');
    expect(parseObjective('## Goals\n- a\n', 'o.md').title).toBe('Untitled');
  });

  it('accepts an empty objective', () => {
    expect(parseObjective('', 'objective-.md')).toEqual({
      title: 'Untitled',
      goals: [],
      successCriteria: [],
      constraints: [],
      context: null,
      featureName: 'feature',
    });
  });

  it('names the feature after the first goal when title and file name say nothing', () => {
    const text = '## Objective\n**Goals**:\n- Cache the API replies\n';
    expect(parseObjective(text, 'objective.md').featureName).toBe('cache-api-replies');
    expect(parseObjective('# Objective\n\n## Goals\n- Cache the API replies\n', 'docs/Objective.md').featureName).toBe('cache-api-replies');
  });

  it('keeps the transliterated name, and records TeamBot\'s (which drops accented letters) when it differs', () => {
    const objective = parseObjective('# Café menu\n\n## Goals\n- Show it\n', 'o.md');
    expect(objective.featureName).toBe('cafe-menu');
    expect(objective.teamBotFeatureName).toBe('caf-menu');
    expect(parseObjective('# Dark mode\n\n## Goals\n- Toggle\n', 'o.md').teamBotFeatureName).toBeUndefined();
  });
});

describe('deriveFeatureName', () => {
  it('transliterates accented and non-Latin letters instead of dropping them', () => {
    expect(deriveFeatureName('Crème brûlée ordering', 'o.md')).toBe('creme-brulee-ordering');
    expect(deriveFeatureName('Objective: Crème brûlée ordering', 'o.md')).toBe('creme-brulee-ordering');
    expect(deriveFeatureName('Straße Привет', 'o.md')).toBe('strasse-privet');
  });

  it('skips skip words and keeps at most three words', () => {
    expect(deriveFeatureName('Add support for the new dark mode toggle in settings', 'o.md')).toBe(
      'dark-mode-toggle',
    );
  });

  it('skips one-letter words', () => {
    expect(deriveFeatureName('Plan B x Rollout', 'o.md')).toBe('plan-rollout');
  });

  it('removes a leading objective: case-insensitively', () => {
    expect(deriveFeatureName('OBJECTIVE: Search index', 'o.md')).toBe('search-index');
  });

  it('uses the first two words when every word is a skip word', () => {
    expect(deriveFeatureName('Add a new feature', 'o.md')).toBe('add-a');
  });

  it('uses the file name for a generic title, without .md and objective- / sdd-objective-', () => {
    expect(deriveFeatureName('Objective', 'sdd-objective-shared-context.md')).toBe('shared-context');
    expect(deriveFeatureName('untitled', 'docs/objectives/objective-model-select.md')).toBe('model-select');
    expect(deriveFeatureName('', 'C:\\work\\Team-Chat-Export-Tool.MD')).toBe('team-chat-export');
  });

  it('uses the first goal when the file name is generic too (objective.md), or gives two characters or fewer', () => {
    expect(deriveFeatureName('Objective', 'objective.md', 'Speed up CI caching')).toBe('speed-up-ci');
    expect(deriveFeatureName('Untitled', 'sdd-objective.md', 'Speed up CI caching')).toBe('speed-up-ci');
    expect(deriveFeatureName('Objective', 'objective-a.md', 'Speed up CI caching')).toBe('speed-up-ci');
  });

  it('like TeamBot, takes the file name\'s first two words before the goal when it has no meaningful word', () => {
    expect(deriveFeatureName('Objective', 'objective-new-feature.md', 'Speed up CI caching')).toBe('new-feature');
    expect(deriveFeatureName('Objective', 'objective-new-feature.md', 'do it')).toBe('new-feature');
  });

  it('like TeamBot, falls back to "feature" when the goal gives three characters or fewer', () => {
    expect(deriveFeatureName('Objective', 'objective.md', 'Fix UI')).toBe('feature');
  });

  it('names an objective with no Latin letter or digit after its title, so two of them do not share a run directory', () => {
    const names = ['🚀🔥', '日本語のタイトル', '!!! ??? ...', '🚀🔥🎉'].map((title) => deriveFeatureName(title, 'o.md'));
    for (const name of names) expect(name).toMatch(/^feature-[0-9a-f]{8}$/);
    expect(new Set(names).size).toBe(names.length);
    expect(deriveFeatureName('🚀🔥', 'other.md'), 'the same title, the same name').toBe(names[0]);
  });

  it('caps the name at 64 characters, cutting at a word, so it is always a usable directory name', () => {
    expect(deriveFeatureName('a'.repeat(5000), 'o.md')).toBe('a'.repeat(64));
    const long = deriveFeatureName(`${'x'.repeat(40)} ${'y'.repeat(20)} ${'z'.repeat(20)}`, 'o.md');
    expect(long).toBe(`${'x'.repeat(40)}-${'y'.repeat(20)}`);
    expect(deriveFeatureName(`${'x'.repeat(40)} ${'y'.repeat(30)}`, 'o.md')).toBe('x'.repeat(40));
  });

  it('falls back to "feature" when there is no word at all', () => {
    expect(deriveFeatureName('', '')).toBe('feature');
    expect(deriveFeatureName('Objective:', 'objective-.md', '')).toBe('feature');
  });
});

describe('loadObjectiveFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'teambot-objective-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function inputError(path: string): Promise<InputError> {
    const error: unknown = await loadObjectiveFile(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }

  it('reads and parses a UTF-8 file', async () => {
    const path = join(dir, 'objective-dark-mode.md');
    await writeFile(path, '\uFEFF# Objective: Mode sombre été\r\n## Goals\r\n- Toggle\r\n');
    const objective = await loadObjectiveFile(path);
    expect(objective.title).toBe('Mode sombre été');
    expect(objective.goals).toEqual(['Toggle']);
    expect(objective.featureName).toBe('mode-sombre-ete');
  });

  it('reports a missing file as objective-not-found on line 0 with a fix', async () => {
    const path = join(dir, 'nope.md');
    const [issue] = (await inputError(path)).issues;
    expect(issue).toMatchObject({ file: path, line: 0, rule: 'objective-not-found' });
    expect(issue!.fix).not.toBe('');
  });

  it('reports a directory as unreadable', async () => {
    const path = join(dir, 'a-directory');
    await mkdir(path);
    expect((await inputError(path)).issues[0]!.rule).toBe('unreadable');
  });

  it('reports a file with NUL bytes as objective-not-text', async () => {
    const path = join(dir, 'utf16.md');
    await writeFile(path, Buffer.from('# Title\n', 'utf16le'));
    expect((await inputError(path)).issues[0]).toMatchObject({ rule: 'objective-not-text', line: 0 });
  });

  it('reports a file over 1 MiB as objective-too-large, and accepts exactly 1 MiB', async () => {
    const big = join(dir, 'big.md');
    await writeFile(big, 'x'.repeat(1024 * 1024 + 1));
    expect((await inputError(big)).issues[0]).toMatchObject({ rule: 'objective-too-large', line: 0 });

    const limit = join(dir, 'limit.md');
    const head = '# Limit\n**Goal**: ';
    await writeFile(limit, `${head}${'x'.repeat(1024 * 1024 - head.length)}`);
    await expect(loadObjectiveFile(limit)).resolves.toMatchObject({ title: 'Limit' });
  });

  async function issuesOf(name: string, text: string) {
    const path = join(dir, name);
    await writeFile(path, text);
    return (await inputError(path)).issues;
  }

  it('refuses an empty file (whitespace and comments only) with objective-empty alone', async () => {
    for (const text of ['', '\n  \n\t\n', '\uFEFF<!-- notes for later -->\n']) {
      const issues = await issuesOf('empty.md', text);
      expect(issues.map((issue) => issue.rule)).toEqual(['objective-empty']);
      expect(issues[0]!.fix).toMatch(/## Goals/);
    }
  });

  it('refuses a `#Title` line, suggesting `# Title` on its line', async () => {
    const [issue, ...others] = await issuesOf('unspaced.md', 'notes\n#Add CSV export\n## Goals\n- Export\n');
    expect(others).toEqual([]);
    expect(issue).toMatchObject({ rule: 'objective-title-missing', line: 2, column: 1 });
    expect(issue!.message).toContain('did you mean `# Add CSV export`?');
    expect(issue!.fix).toContain('line 2');
  });

  it('refuses a file without any title line, and a title line with no title', async () => {
    const [none] = await issuesOf('untitled.md', 'Some notes\n## Goals\n- Export\n');
    expect(none).toMatchObject({ rule: 'objective-title-missing', line: 0 });
    expect(none!.fix).toMatch(/# Objective: /);
    const [blank] = await issuesOf('blank-title.md', '#   \n## Goals\n- Export\n');
    expect(blank).toMatchObject({ rule: 'objective-title-missing', line: 1, message: 'the title line is empty' });
  });

  it('accepts TeamBot\'s headless form: a ## Objective section, the feature named after the file', async () => {
    const path = join(dir, 'objective-csv-export.md');
    await writeFile(path, '## Objective\n\n**Goal**: Export reports as CSV\n');
    await expect(loadObjectiveFile(path)).resolves.toMatchObject({ title: 'Objective', featureName: 'csv-export' });
  });

  it('refuses an objective without goals, pointing at an empty ## Goals section when there is one', async () => {
    const [none] = await issuesOf('no-goals.md', '# Export CSV\n\n## Success Criteria\n- [ ] a file downloads\n');
    expect(none).toMatchObject({ rule: 'objective-goals-missing', line: 0 });
    const [empty] = await issuesOf('empty-goals.md', '# Export CSV\n\n## Goals\n\nTo be decided.\n');
    expect(empty).toMatchObject({ rule: 'objective-goals-missing', line: 3, column: 1 });
    expect(empty!.message).toContain('"## Goals" section lists no goals');
  });

  it('reports every problem of a file at once, in line order', async () => {
    const issues = await issuesOf('all.md', 'Draft\n#<short title>\n\n## Goals\n');
    expect(issues.map((issue) => [issue.rule, issue.line])).toEqual([
      ['objective-title-missing', 2], ['objective-placeholder', 2], ['objective-goals-missing', 4],
    ]);
  });

  it('refuses init\'s unedited template, naming each placeholder and its line, and accepts it once filled in', async () => {
    const template = readFileSync(new URL('../../config/objectives/example.md', import.meta.url), 'utf8');
    const issues = await issuesOf('example.md', template);
    expect(issues.map((issue) => issue.rule)).toEqual(Array(OBJECTIVE_PLACEHOLDERS.length).fill('objective-placeholder'));
    for (const [index, placeholder] of OBJECTIVE_PLACEHOLDERS.entries()) {
      const line = template.split('\n').findIndex((text) => text.includes(placeholder.text) && !text.includes('<!--') && !text.startsWith(' ')) + 1;
      expect(issues[index]).toMatchObject({ line, column: template.split('\n')[line - 1]!.indexOf(placeholder.text) + 1 });
      expect(issues[index]!.message).toContain(placeholder.text);
      expect(issues[index]!.fix).toContain(`replace ${placeholder.text} with`);
    }

    const path = join(dir, 'objective-filled.md');
    await writeFile(path, template
      .replace('<short title>', 'Export reports as CSV').replace('<goal>', 'Download the report as CSV')
      .replace('<criterion>', 'A .csv file downloads').replace('<constraint>', 'No new dependencies')
      .replace('<where the code lives and how it is built and tested>', 'src/reports; npm test'));
    await expect(loadObjectiveFile(path)).resolves.toMatchObject({ featureName: 'export-reports-csv', goals: ['Download the report as CSV'] });
  });

  it('ignores placeholders inside HTML comments and look-alikes such as `<agent-id>`', async () => {
    const path = join(dir, 'objective-commented.md');
    await writeFile(path, '# Switch agents\n<!-- was: # Objective: <short title> -->\n## Goals\n- A `/use-agent <agent-id>` command\n');
    await expect(loadObjectiveFile(path)).resolves.toMatchObject({ title: 'Switch agents' });
  });
});

describe('the objectives teambot ships and reads', () => {
  const teambotFixtures = Object.keys(expected).filter((name) => expected[name]!.goals > 0);

  it.each(teambotFixtures)('loads TeamBot\'s %s', async (name) => {
    await expect(loadObjectiveFile(fileURLToPath(new URL(name, fixturesDir)))).resolves.toMatchObject({ featureName: expected[name]!.feature_name });
  });

  it('refuses TeamBot\'s remove-overlay objective: none of its sections is one the agents are given goals from', async () => {
    const error: unknown = await loadObjectiveFile(fileURLToPath(new URL('objective-remove-overlay.md', fixturesDir))).catch((caught: unknown) => caught);
    expect((error as InputError).issues.map((issue) => issue.rule)).toEqual(['objective-goals-missing']);
  });

  it('loads the demo objective', async () => {
    await expect(loadObjectiveFile(fileURLToPath(new URL('../../config/objectives/demo.md', import.meta.url))))
      .resolves.toMatchObject({ featureName: 'dark-mode-toggle' });
  });

  it('reads the init example without its HTML guidance comments', () => {
    const path = new URL('../../config/objectives/example.md', import.meta.url);
    const objective = parseObjective(readFileSync(path, 'utf8'), 'example.md');
    expect(objective.context).not.toBeNull();
    expect(objective.context).not.toContain('<!--');
    expect(objective.goals.every((goal) => !goal.includes('<!--'))).toBe(true);
  });
});
