import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cliPath, repoRoot, temporaryDirectory } from '../support/runCli.js';
import { startInTerminal, type TerminalSession } from '../support/terminal.js';

let session: TerminalSession | undefined;

afterEach(() => {
  session?.dispose();
  session = undefined;
});

/** The screen's line that shows `stage`, or ''. */
const rowOf = (text: string, stage: string) => text.split('\n').find((line) => new RegExp(`\\s${stage}\\s`).test(line)) ?? '';

/** Running rows carry a spinner frame and the stage's elapsed time, never the ✓ of a finished one. */
const running = (row: string) => /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/.test(row) && /\d s\b/.test(row) && !row.includes('✓');

/**
 * A person's terminal: CI (set when this suite runs in CI) would select the plain reporter, and
 * NO_COLOR would drop the colours a person normally sees; the emulator reads the text either way.
 */
function personsEnvironment(): Record<string, string | undefined> {
  const { CI: _ci, NO_COLOR: _noColor, FORCE_COLOR: _forceColor, ...rest } = process.env;
  return rest;
}

describe('the live terminal UI, in a real terminal emulator (PTY + xterm.js)', () => {
  it('shows both stages of the group running at the same moment, and q cancels and prints the resume command', async () => {
    const cwd = temporaryDirectory();
    // The group's stages last far longer than the test: they are still running whenever the screen is read, and q ends them.
    writeFileSync(join(cwd, 'sim.yaml'), 'default_ms: 50\nstages:\n  RESEARCH: { ms: 60000 }\n  TEST_STRATEGY: { ms: 60000 }\n');
    const terminal = startInTerminal(
      process.execPath,
      [cliPath, 'run', join(repoRoot, 'config/objectives/demo.md'), '--runner', 'simulated', '--simulate', 'sim.yaml'],
      { cwd, env: personsEnvironment(), cols: 110, rows: 40 },
    );
    session = terminal;

    const seen = await terminal.waitForScreen(
      (screen) => running(rowOf(screen, 'RESEARCH')) && running(rowOf(screen, 'TEST_STRATEGY')),
      { deadlineMs: 20_000, what: 'RESEARCH and TEST_STRATEGY both running (spinner and elapsed time)' },
    );
    expect(seen).toMatch(/┌ post_spec_review · running/);
    expect(running(rowOf(seen, 'RESEARCH'))).toBe(true);
    expect(running(rowOf(seen, 'TEST_STRATEGY'))).toBe(true);
    expect(rowOf(seen, 'RESEARCH')).toMatch(/builder-1/);
    expect(rowOf(seen, 'TEST_STRATEGY')).toMatch(/builder-2/);
    expect(rowOf(seen, 'SPEC_REVIEW')).toMatch(/✓/);

    terminal.write('q');
    // No shell around the CLI: its exit code comes from the PTY itself.
    const exit = await terminal.waitForExit({ deadlineMs: 20_000, what: 'the CLI to exit after q' });
    expect(exit).toEqual({ exitCode: 130, signal: undefined });
    // The summary may be taller than the screen: read the scrollback as well.
    const after = terminal.scrollback();
    expect(after).toMatch(/resume\s+node \S+cli\.js resume dark-mode-toggle/);
    expect(after).toMatch(/TIMELINE/);
  }, 60_000);
});
