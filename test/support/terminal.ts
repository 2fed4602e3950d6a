import { spawn, type IPty } from '@lydell/node-pty';
// @xterm/headless is CommonJS whose exports Node's ESM loader cannot name: take Terminal off the default export.
import xtermHeadless from '@xterm/headless';

const { Terminal } = xtermHeadless;

/** How the process in the terminal ended: node-pty reports the exit code, and the signal number if one killed it. */
export interface TerminalExit {
  exitCode: number;
  signal: number | undefined;
}

export interface TerminalSession {
  /** The visible screen, one string per row joined by '\n', each row trimmed on the right (as parsed so far: prefer waitForScreen). */
  screen(): string;
  /** Everything the terminal still holds: the scrollback followed by the visible screen, same format. */
  scrollback(): string;
  /** Types into the terminal as a person would (a key such as 'q', '\t', or '\x03' for Ctrl+C). */
  write(keys: string): void;
  /** Resizes the PTY (the process gets SIGWINCH) and the emulator together. */
  resize(cols: number, rows: number): void;
  /**
   * Resolves with the screen as soon as `predicate` holds on it; the screen is checked again after
   * every write the emulator finishes parsing. Rejects, naming `what` and showing the last screen,
   * when `deadlineMs` passes or when the process exits first.
   */
  waitForScreen(predicate: (screen: string) => boolean, options: { deadlineMs: number; what: string }): Promise<string>;
  /** Settles once the process has exited and everything it wrote has been parsed by the emulator. */
  readonly exited: Promise<TerminalExit>;
  /** `exited`, bounded: rejects, naming `what` and showing the last screen, when `deadlineMs` passes first. */
  waitForExit(options: { deadlineMs: number; what: string }): Promise<TerminalExit>;
  /** Sends a signal to the process (node-pty's default is SIGHUP, as when a terminal closes); no-op once it has exited. */
  kill(signal?: string): void;
  /** Kills the process if it still runs and releases the emulator: call it from afterEach. */
  dispose(): void;
}

/**
 * Runs `command` in a pseudo-terminal and feeds every byte it writes into a real terminal
 * emulator (xterm.js, headless), so a test reads the screen as a person sees it: cursor moves,
 * erased lines, redraws and wide characters are applied, not guessed from a byte stream. Both come
 * from npm (node-pty prebuilt, @xterm/headless), so no terminal multiplexer or other system package is needed.
 */
export function startInTerminal(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: Record<string, string | undefined>; cols?: number; rows?: number },
): TerminalSession {
  const cols = options.cols ?? 110;
  const rows = options.rows ?? 40;
  const terminal = new Terminal({ cols, rows, scrollback: 5000, allowProposedApi: true });
  // encoding: null hands us the raw bytes; the emulator decodes UTF-8 itself, across chunk boundaries too.
  const pty: IPty = spawn(command, [...args], { name: 'xterm-256color', cols, rows, cwd: options.cwd, env: options.env, encoding: null });

  let running = true;
  let disposed = false;
  let exitedAs: TerminalExit | undefined;
  /** Each pending waitForScreen: its check, and the timer of its deadline. */
  const waiters = new Map<() => void, NodeJS.Timeout>();
  /**
   * Between `CSI ? 2026 h` and `CSI ? 2026 l` (synchronized output, which Ink uses) a real terminal keeps
   * showing the previous frame: waiters look only at whole frames, never at one half redrawn.
   */
  const midFrame = () => terminal.modes.synchronizedOutputMode && !exitedAs;
  const checkWaiters = () => {
    if (disposed || midFrame()) return;
    for (const check of [...waiters.keys()]) check();
  };

  // xterm's write is asynchronous: the buffer shows a chunk only once its callback has run.
  pty.onData((data: string | Uint8Array) => {
    if (!disposed) terminal.write(data, checkWaiters);
  });
  const exited = new Promise<TerminalExit>((resolve) => {
    // node-pty emits exit after the PTY's output stream has closed, so no data follows it;
    // an empty write then waits for every earlier write to be parsed.
    pty.onExit(({ exitCode, signal }) => {
      running = false;
      if (disposed) return;
      terminal.write('', () => {
        exitedAs = { exitCode, signal: signal || undefined };
        resolve(exitedAs);
        checkWaiters();
      });
    });
  });

  const lines = (from: number, to: number) => {
    const buffer = terminal.buffer.active;
    const text: string[] = [];
    for (let row = from; row < to; row += 1) text.push(buffer.getLine(row)?.translateToString(true) ?? '');
    return text.join('\n');
  };
  const screen = () => lines(terminal.buffer.active.viewportY, terminal.buffer.active.viewportY + terminal.rows);
  const scrollback = () => lines(0, terminal.buffer.active.length);

  return {
    screen,
    scrollback,
    write(keys) {
      pty.write(keys);
    },
    resize(newCols, newRows) {
      pty.resize(newCols, newRows);
      terminal.resize(newCols, newRows);
    },
    waitForScreen(predicate, { deadlineMs, what }) {
      return new Promise<string>((resolve, reject) => {
        const finish = (settle: () => void) => {
          clearTimeout(waiters.get(check));
          waiters.delete(check);
          settle();
        };
        const failure = (why: string) => new Error(`${why} waiting for ${what}; the last screen was:\n${screen()}`);
        const check = () => {
          const current = screen();
          if (predicate(current)) finish(() => resolve(current));
          else if (exitedAs) finish(() => reject(failure(`the process exited (code ${exitedAs!.exitCode}${exitedAs!.signal ? `, signal ${exitedAs!.signal}` : ''})`)));
        };
        waiters.set(check, setTimeout(() => finish(() => reject(failure(`${deadlineMs} ms passed`))), deadlineMs));
        // Whatever is already on the screen counts: flush pending writes first, then look.
        terminal.write('', () => {
          if (!midFrame()) check();
        });
      });
    },
    exited,
    waitForExit({ deadlineMs, what }) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`${deadlineMs} ms passed waiting for ${what}; the last screen was:\n${screen()}`)), deadlineMs);
      });
      return Promise.race([exited, deadline]).finally(() => clearTimeout(timer));
    },
    kill(signal) {
      if (running) pty.kill(signal);
    },
    dispose() {
      if (disposed) return;
      if (running) pty.kill('SIGKILL');
      disposed = true;
      for (const timer of waiters.values()) clearTimeout(timer);
      waiters.clear();
      terminal.dispose();
    },
  };
}
