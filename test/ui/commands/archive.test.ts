import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoProject } from '../../support/project.js';
import { runCliInProcess } from '../../support/runCli.js';

describe('running a finished objective again', () => {
  it('archives the previous run\'s state and event log under one stamp; the new log holds only the new run', async () => {
    const p = demoProject('default_ms: 2\n');
    const first = await runCliInProcess(p.run, { cwd: p.cwd });
    expect(first.exitCode).toBe(0);
    const oldState = readFileSync(join(p.featureDir, 'orchestration_state.json'), 'utf8');
    const oldEvents = readFileSync(join(p.featureDir, 'events.jsonl'), 'utf8');

    const second = await runCliInProcess(p.run, { cwd: p.cwd });
    expect(second.exitCode).toBe(0);

    const names = readdirSync(p.featureDir);
    const stateArchive = names.find((name) => /^orchestration_state\..+\.json$/.test(name));
    const eventsArchive = names.find((name) => /^events\..+\.jsonl$/.test(name));
    expect(stateArchive).toBeDefined();
    expect(eventsArchive).toBe(stateArchive!.replace(/^orchestration_state\.(.+)\.json$/, 'events.$1.jsonl'));
    expect(second.stdout).toContain(
      `the previous run (status complete) was archived as ${join('.teambot', 'dark-mode-toggle', stateArchive!)} and ${join('.teambot', 'dark-mode-toggle', eventsArchive!)}`,
    );
    expect(readFileSync(join(p.featureDir, stateArchive!), 'utf8')).toBe(oldState);
    expect(readFileSync(join(p.featureDir, eventsArchive!), 'utf8')).toBe(oldEvents);

    const events = p.events();
    expect(events.filter((event) => event.type === 'run.started')).toHaveLength(1);
    expect(events.filter((event) => event.type === 'run.completed')).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'run.started' });
    expect(readFileSync(join(p.featureDir, 'events.jsonl'), 'utf8').startsWith(oldEvents)).toBe(false);
    expect(oldEvents.split('\n').filter((line) => line.includes('"type":"run.started"'))).toHaveLength(1);
    expect(p.state().status).toBe('complete');
  });
});
