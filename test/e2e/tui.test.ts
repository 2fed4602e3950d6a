import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cliPath, repoRoot, temporaryDirectory } from '../support/runCli.js';
import { fakeCopilotProject } from '../support/fakeCopilotProject.js';
import { startInTerminal, type TerminalSession } from '../support/terminal.js';

let session: TerminalSession | undefined;

afterEach(() => {
  session?.dispose();
  session = undefined;
});

/** The screen's line that shows `stage`, or ''. */
const rowOf = (text: string, stage: string) => text.split('\n').find((line) => new RegExp(`\\s${stage}(\\s|$)`).test(line)) ?? '';

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

/** The demo objective run with the simulated runner and `simulation`, in a terminal of `size`, as a person would start it. */
function startDemo(simulation: string, size: { cols: number; rows: number }) {
  const cwd = temporaryDirectory();
  writeFileSync(join(cwd, 'sim.yaml'), simulation);
  const terminal = startInTerminal(
    process.execPath,
    [cliPath, 'run', join(repoRoot, 'config/objectives/demo.md'), '--runner', 'simulated', '--simulate', 'sim.yaml'],
    { cwd, env: personsEnvironment(), ...size },
  );
  return { cwd, terminal };
}

describe('the live terminal UI, in a real terminal emulator (PTY + xterm.js)', () => {
  it('shows both stages of the group running at the same moment, and q cancels and prints the resume command', async () => {
    // The group's stages last far longer than the test: they are still running whenever the screen is read, and q ends them.
    const { terminal } = startDemo('default_ms: 50\nstages:\n  RESEARCH: { ms: 60000 }\n  TEST_STRATEGY: { ms: 60000 }\n', { cols: 110, rows: 40 });
    session = terminal;

    const seen = await terminal.waitForScreen(
      (screen) => running(rowOf(screen, 'RESEARCH')) && running(rowOf(screen, 'TEST_STRATEGY')),
      { deadlineMs: 20_000, what: 'RESEARCH and TEST_STRATEGY both running (spinner and elapsed time)' },
    );
    expect(seen).toMatch(/┌ post_spec_review · ▸ running/);
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

  it('keeps what the terminal showed before, shows the inspector in the header, and leaves one final frame and the summary', async () => {
    const cwd = temporaryDirectory();
    writeFileSync(join(cwd, 'sim.yaml'), 'default_ms: 50\nstages:\n  RESEARCH: { ms: 60000 }\n');
    // A shell prints a line first, as a person's earlier command would have; exec hands the terminal to teambot.
    const command = `printf 'BEFORE-THE-RUN\\n'; exec "${process.execPath}" "${cliPath}" run "${join(repoRoot, 'config/objectives/demo.md')}" --runner simulated --simulate sim.yaml --inspect`;
    const terminal = startInTerminal('/bin/sh', ['-c', command], { cwd, env: personsEnvironment(), cols: 100, rows: 24 });
    session = terminal;

    const seen = await terminal.waitForScreen(
      (screen) => /^teambot {2}.*\n.*\ninspector {2}http:\/\/127\.0\.0\.1:\d+\//m.test(screen) && running(rowOf(screen, 'RESEARCH')),
      { deadlineMs: 20_000, what: 'the header with the inspector address, and RESEARCH running' },
    );
    const lines = seen.split('\n');
    // The header's third line (the line printed before the view also names it, with the Stately address).
    const headerInspector = lines[lines.findIndex((line) => line.startsWith('teambot  ')) + 2] ?? '';
    expect(headerInspector).toMatch(/^inspector {2}http:\/\/127\.0\.0\.1:\d+\/\S*$/);
    // The view is one row shorter than the terminal, so Ink never clears the screen: the lines before it stay.
    expect(terminal.scrollback()).toContain('BEFORE-THE-RUN');
    expect(terminal.scrollback()).toMatch(/^inspector {2}http\S+ {2}\(Stately/m);

    terminal.write('q');
    expect(await terminal.waitForExit({ deadlineMs: 20_000, what: 'the CLI to exit after q' })).toEqual({ exitCode: 130, signal: undefined });
    const after = terminal.scrollback().replace(/\s+$/, '');
    const count = (pattern: RegExp) => after.match(new RegExp(pattern.source, 'gm'))?.length ?? 0;
    expect(count(/^BEFORE-THE-RUN$/)).toBe(1);
    expect(count(/^inspector {2}http\S+ {2}\(Stately/)).toBe(1);
    // Exactly one frame is left (the final one: no output pane, no key hint), then the summary.
    expect(count(/^teambot {2}Add a dark mode toggle/)).toBe(1);
    expect(count(/^── output/)).toBe(0);
    expect(after).not.toContain('q cancel');
    expect(after).toMatch(/^ {3}✓ SPEC_REVIEW\s+ba ⇄ reviewer/m);
    expect(count(/^TIMELINE/)).toBe(1);
    expect(after.indexOf('BEFORE-THE-RUN')).toBeLessThan(after.indexOf('teambot  Add a dark mode'));
    expect(after.indexOf('teambot  Add a dark mode')).toBeLessThan(after.indexOf('TIMELINE'));
    // No blank filler anywhere: never more than one empty line in a row.
    expect(after).not.toMatch(/\n[ \t]*\n[ \t]*\n/);
  }, 60_000);

  it('scrolls and searches a stage’s full output with the keys, several keys arriving in one write', async () => {
    // SPEC prints 122 lines; SPEC_REVIEW then runs until q, so the view stays up.
    const project = await fakeCopilotProject({ SPEC: { lines: 120 }, SPEC_REVIEW: { silent_hang: true } }, undefined, { git: true });
    const terminal = startInTerminal(process.execPath, [cliPath, 'run', 'objective.md'], { cwd: project.cwd, env: { ...personsEnvironment(), ...project.env() }, cols: 100, rows: 30 });
    session = terminal;
    const deadline = { deadlineMs: 20_000 };
    const outputRows = (screen: string) => screen.split('\n').filter((line) => /^SPEC progress line \d+$|^working on SPEC$|^SPEC done$/.test(line));
    const firstShown = (screen: string) => outputRows(screen)[0] ?? '';

    await terminal.waitForScreen((screen) => running(rowOf(screen, 'SPEC_REVIEW')), { ...deadline, what: 'SPEC_REVIEW running' });
    // Shift+Tab while following SPEC_REVIEW focuses the stage before it; Enter opens its full output.
    terminal.write('\u001b[Z\r');
    const full = await terminal.waitForScreen((screen) => /── output · SPEC · /.test(screen) && screen.includes('SPEC done'), { ...deadline, what: 'SPEC’s full output, at its end' });
    expect(full).toMatch(/lines \d+–122 of 122/);
    expect(outputRows(full).length).toBeGreaterThan(20);

    terminal.write('\u001b[5~');
    const paged = await terminal.waitForScreen((screen) => !screen.includes('SPEC done') && /lines \d+–\d+ of 122 ↓/.test(screen), { ...deadline, what: 'a page up' });
    expect(outputRows(paged).length).toBe(outputRows(full).length);

    terminal.write('\u001b[H');
    await terminal.waitForScreen((screen) => firstShown(screen) === 'working on SPEC', { ...deadline, what: 'Home: the first line' });
    terminal.write('\u001b[B\u001b[B');
    await terminal.waitForScreen((screen) => firstShown(screen) === 'SPEC progress line 2', { ...deadline, what: 'two lines down' });

    // A search typed in one write: the query, then Enter to jump.
    terminal.write('/line 7\r');
    await terminal.waitForScreen((screen) => firstShown(screen) === 'SPEC progress line 7' && screen.includes('n next'), { ...deadline, what: 'the first match of "line 7"' });
    terminal.write('n');
    await terminal.waitForScreen((screen) => firstShown(screen) === 'SPEC progress line 70', { ...deadline, what: 'the next match' });
    terminal.write('N');
    await terminal.waitForScreen((screen) => firstShown(screen) === 'SPEC progress line 7', { ...deadline, what: 'the previous match' });
    terminal.write('\u001b');
    terminal.write('\u001b[F');
    await terminal.waitForScreen((screen) => screen.includes('SPEC done') && !screen.includes('n next'), { ...deadline, what: 'End: following the end again' });

    terminal.write('?');
    await terminal.waitForScreen((screen) => /^── keys/m.test(screen) && screen.includes('PgUp / PgDn'), { ...deadline, what: 'the key help' });
    terminal.write('q');
    expect((await terminal.waitForExit({ deadlineMs: 20_000, what: 'the CLI to exit after q' })).exitCode).toBe(130);
  }, 60_000);

  it('keeps every stage’s status and a review’s verdict at 40, 60, 80 and 120 columns', async () => {
    const { terminal } = startDemo('default_ms: 50\nstages:\n  SPEC_REVIEW: { verdicts: [reject, approve] }\n  RESEARCH: { ms: 60000 }\n', { cols: 40, rows: 40 });
    session = terminal;
    // Widths grow, so no redraw is ever wrapped by the terminal.
    for (const cols of [40, 60, 80, 120]) {
      terminal.resize(cols, 40);
      const seen = await terminal.waitForScreen(
        // The output pane's title rule spans the width: the frame is drawn for this width, not an earlier one.
        (screen) => screen.split('\n').some((line) => line.startsWith('── output') && line.length === cols)
          && /✓ SPEC_REVIEW .*approved/.test(rowOf(screen, 'SPEC_REVIEW')) && /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] RESEARCH/.test(rowOf(screen, 'RESEARCH'))
          && rowOf(screen, 'TEST_STRATEGY').includes('✓') && /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] running/m.test(screen),
        { deadlineMs: 20_000, what: `statuses and the verdict at ${cols} columns` },
      );
      // Stage names stay whole: the agent column gives way first.
      expect(rowOf(seen, 'IMPLEMENTATION_REVIEW')).toMatch(/· IMPLEMENTATION_REVIEW/);
      // The agent column goes first on a narrow terminal; at 80 columns and more it is there.
      if (cols >= 80) expect(rowOf(seen, 'SPEC_REVIEW')).toMatch(/ba ⇄ reviewer/);
      if (cols === 40) expect(rowOf(seen, 'SPEC_REVIEW')).not.toMatch(/reviewer/);
    }
    terminal.write('q');
    await terminal.waitForExit({ deadlineMs: 20_000, what: 'the CLI to exit after q' });
  }, 60_000);
});
