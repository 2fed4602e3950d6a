import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../support/processes.js';
import { cliPath, repoRoot, temporaryDirectory } from '../support/runCli.js';

const session = `teambot-e2e-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', session);

afterEach(() => {
  try {
    tmux('kill-session', '-t', session);
  } catch {
    // already gone
  }
});

/** The pane's line that shows `stage`, or ''. */
const rowOf = (text: string, stage: string) => text.split('\n').find((line) => new RegExp(`\\s${stage}\\s`).test(line)) ?? '';

describe('the live terminal UI, in a real terminal (tmux)', () => {
  it('shows both stages of the group running at the same moment, and q cancels and prints the resume command', async () => {
    const cwd = temporaryDirectory();
    writeFileSync(join(cwd, 'sim.yaml'), 'default_ms: 50\nstages:\n  RESEARCH: { ms: 30000 }\n  TEST_STRATEGY: { ms: 30000 }\n');
    // A person's terminal: CI=true (set when this suite runs in CI) would select the plain reporter.
    const command = `env -u CI node ${cliPath} run ${join(repoRoot, 'config/objectives/demo.md')} --runner simulated --simulate sim.yaml; echo EXIT=$?; sleep 60`;
    tmux('new-session', '-d', '-s', session, '-x', '110', '-y', '40', '-c', cwd, command);

    // Running rows carry a spinner frame and the stage's elapsed time, never the ✓ of a finished one.
    const running = (row: string) => /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/.test(row) && /\d s\b/.test(row) && !row.includes('✓');
    let seen = '';
    await waitFor(() => {
      seen = screen();
      return running(rowOf(seen, 'RESEARCH')) && running(rowOf(seen, 'TEST_STRATEGY'));
    }, 15_000);
    expect(seen).toMatch(/┌ post_spec_review · running/);
    expect(running(rowOf(seen, 'RESEARCH'))).toBe(true);
    expect(running(rowOf(seen, 'TEST_STRATEGY'))).toBe(true);
    expect(rowOf(seen, 'RESEARCH')).toMatch(/builder-1/);
    expect(rowOf(seen, 'TEST_STRATEGY')).toMatch(/builder-2/);
    expect(rowOf(seen, 'SPEC_REVIEW')).toMatch(/✓/);

    tmux('send-keys', '-t', session, 'q');
    await waitFor(() => screen().includes('EXIT='), 15_000);
    const after = screen();
    expect(after).toMatch(/EXIT=130/);
    expect(after).toMatch(/resume\s+teambot run --resume \.teambot\/dark-mode-toggle/);
    expect(after).toMatch(/TIMELINE/);
  }, 30_000);
});
