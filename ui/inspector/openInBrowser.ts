import { spawn } from 'node:child_process';

/** The program that opens a URL in the user's default browser on each platform, and its arguments before the URL. */
function opener(platform: NodeJS.Platform): { readonly command: string; readonly args: readonly string[] } {
  if (platform === 'darwin') return { command: 'open', args: [] };
  // `start` is a cmd.exe built-in, reached only through a shell string; explorer opens a URL itself.
  if (platform === 'win32') return { command: 'explorer.exe', args: [] };
  return { command: 'xdg-open', args: [] };
}

/**
 * Asks the desktop to open `url` in the default browser: `xdg-open` (found on
 * the PATH of `env`), `open` on macOS, `explorer.exe` on Windows. The URL is
 * one argument of a program started without a shell, so nothing in it is
 * interpreted. Resolves once the program has started (it is left to run on its
 * own), or with why it could not be.
 *
 * No npm package: the `open` package does the same with more platforms (WSL,
 * named browsers) and a bundled xdg-open copy, none of which teambot needs.
 *
 * @example await openInBrowser('http://127.0.0.1:8123/t/…/', { env: process.env }) // { opened: true, program: 'xdg-open' }
 */
export function openInBrowser(url: string, { env, platform = process.platform }: {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform?: NodeJS.Platform;
}): Promise<{ readonly opened: true; readonly program: string } | { readonly opened: false; readonly program: string; readonly reason: string }> {
  const { command, args } = opener(platform);
  return new Promise((resolve) => {
    const child = spawn(command, [...args, url], { env: { ...env }, stdio: 'ignore', detached: true, windowsHide: true });
    child.once('error', (error: NodeJS.ErrnoException) => {
      resolve({ opened: false, program: command, reason: error.code === 'ENOENT' ? `${command} not found` : error.message });
    });
    child.once('spawn', () => {
      child.unref();
      resolve({ opened: true, program: command });
    });
  });
}
