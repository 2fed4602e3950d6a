import { spawn, type IPty } from '@lydell/node-pty';
// Both packages are CommonJS whose exports Node's ESM loader cannot name: take the classes off the default export.
import serializeAddon from '@xterm/addon-serialize';
import xtermHeadless from '@xterm/headless';
import { withDeadline } from '../../test/support/processes.js';

const { Terminal } = xtermHeadless;
const { SerializeAddon } = serializeAddon;

/** A command running in a pseudo-terminal whose screen can be read as text and as coloured HTML. */
export interface RecordedTerminal {
  /** Resolves with the screen's text once `predicate` holds on it (checked after every chunk the emulator parses). */
  waitForScreen(predicate: (screen: string) => boolean, what: string, deadlineMs: number): Promise<string>;
  /** The visible screen, with the `scrollback` rows above it, as an HTML page, colours included, drawn like a dark terminal window. */
  html(scrollback?: number): string;
  /** Every row the terminal holds (scrollback, then the screen), as text. */
  allRows(): string[];
  /** Settles once the process has exited and its output is parsed. */
  readonly exited: Promise<number>;
  kill(): void;
}

/**
 * Runs `command` in node-pty and feeds its output to a headless xterm.js, as
 * test/support/terminal.ts does for the tests, with the serialize addon loaded
 * so that a frame can be rendered to HTML (serializeAsHTML) for a screenshot.
 */
export function recordTerminal(command: string, args: readonly string[], options: {
  readonly cwd: string; readonly env: Record<string, string | undefined>; readonly cols: number; readonly rows: number;
}): RecordedTerminal {
  const { cols, rows } = options;
  // The theme and font are what serializeAsHTML writes into the page (the emulator itself draws nothing;
  // the headless typings leave the font options out, but the addon reads them).
  const look = { theme: { background: '#1b1e24', foreground: '#d7dae0' }, fontFamily: '"DejaVu Sans Mono", Menlo, Consolas, monospace', fontSize: 14 };
  const terminal = new Terminal({ cols, rows, scrollback: 1000, allowProposedApi: true, ...look });
  const serializer = new SerializeAddon();
  terminal.loadAddon(serializer);
  const pty: IPty = spawn(command, [...args], { name: 'xterm-256color', cols, rows, cwd: options.cwd, env: options.env, encoding: null });
  const checks = new Set<() => void>();
  // Ink draws a frame between "synchronized output" marks: look only at whole frames.
  const settled = () => { if (!terminal.modes.synchronizedOutputMode) for (const check of [...checks]) check(); };
  pty.onData((data: string | Uint8Array) => terminal.write(data, settled));
  let running = true;
  const exited = new Promise<number>((resolve) => pty.onExit(({ exitCode }) => {
    running = false;
    terminal.write('', () => resolve(exitCode));
  }));
  const screen = () => {
    const buffer = terminal.buffer.active;
    return Array.from({ length: rows }, (_, row) => buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '').join('\n');
  };
  return {
    waitForScreen(predicate, what, deadlineMs) {
      let check = () => {};
      const found = new Promise<string>((resolve) => {
        check = () => {
          const text = screen();
          if (!predicate(text)) return;
          checks.delete(check);
          resolve(text);
        };
        checks.add(check);
        terminal.write('', check);
      });
      return withDeadline(found, deadlineMs, what)
        .catch((error: unknown) => { throw new Error(`${String(error)}; the screen was:\n${screen()}`, { cause: error }); })
        .finally(() => checks.delete(check));
    },
    allRows() {
      const buffer = terminal.buffer.active;
      return Array.from({ length: buffer.length }, (_, row) => buffer.getLine(row)?.translateToString(true) ?? '');
    },
    html(scrollback = 0) {
      const fragment = serializer.serializeAsHTML({ scrollback, includeGlobalBackground: false });
      const body = /<!--StartFragment-->([\s\S]*)<!--EndFragment-->/.exec(fragment)?.[1] ?? fragment;
      return `<!doctype html><html><head><meta charset="utf-8"><style>
        html, body { margin: 0; background: #1b1e24; }
        .window { display: inline-block; padding: 14px 16px; background: #1b1e24; }
        .window pre { margin: 0; line-height: 1.25; }
      </style></head><body><div class="window">${body}</div></body></html>`;
    },
    exited,
    kill() {
      if (running) pty.kill('SIGKILL');
    },
  };
}
