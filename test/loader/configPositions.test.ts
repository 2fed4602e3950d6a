import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { issueAt, rememberConfigDocument } from '../../loader/configPositions.js';
import { loadConfiguration } from '../../loader/loadConfiguration.js';
import { parseYamlSource } from '../../loader/yamlSource.js';
import { repoRoot, temporaryDirectory } from '../support/runCli.js';

const problem = { rule: 'example-rule', message: 'something to change', fix: 'change it' };
const stagesText = readFileSync(join(repoRoot, 'config', 'stages.yaml'), 'utf8');

describe('issueAt: an issue found after loading, placed at its line', () => {
  it('in a stages.yaml loaded and unchanged since, without parsing it again', async () => {
    const project = temporaryDirectory();
    const text = stagesText.replace('name: Specification', 'name: The specification');
    writeFileSync(join(project, 'stages.yaml'), text);
    const { stages } = await loadConfiguration({ cwd: project });

    const issue = issueAt({ source: stages.source, kind: 'stages' }, ['stages', 'SPEC', 'work_agent'], project, problem, { key: true });

    expect(issue).toEqual({ file: 'stages.yaml', ...parseYamlSource('stages.yaml', text).locate(['stages', 'SPEC', 'work_agent'], { key: true }), ...problem });
    expect(issue.line).toBeGreaterThan(1);
  });

  it('in the built-in stages.yaml', async () => {
    const { stages } = await loadConfiguration({ cwd: temporaryDirectory() });

    const issue = issueAt({ source: stages.source, kind: 'stages' }, ['stages', 'PLAN'], repoRoot, problem);

    expect(issue).toEqual({ file: 'built-in stages.yaml', ...parseYamlSource('stages.yaml', stagesText).locate(['stages', 'PLAN']), ...problem });
  });

  it('in a teambot.json, read again', () => {
    const project = temporaryDirectory();
    writeFileSync(join(project, 'teambot.json'), '{\n  "agents": [\n    { "id": "pm", "persona": "project_manager" }\n  ]\n}\n');

    expect(issueAt({ source: join(project, 'teambot.json'), kind: 'teambot' }, ['agents', 0, 'persona'], project, problem))
      .toEqual({ file: 'teambot.json', line: 3, column: 30, ...problem });
  });

  it('names only the file when the stages.yaml changed or went away since it was validated: its old positions would mislead', () => {
    const project = temporaryDirectory();
    const path = join(project, 'stages.yaml');
    const text = 'stages:\n  SPEC: {}\nstage_order: [SPEC]\n';
    rememberConfigDocument(path, text, parseYamlSource('stages.yaml', text));
    writeFileSync(path, `# moved down\n${text}`);

    expect(issueAt({ source: path, kind: 'stages' }, ['stages', 'SPEC'], project, problem)).toEqual({ file: 'stages.yaml', line: 0, column: 0, ...problem });
    rmSync(path);
    expect(issueAt({ source: path, kind: 'stages' }, ['stages', 'SPEC'], project, problem)).toEqual({ file: 'stages.yaml', line: 0, column: 0, ...problem });
  });
});
