import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sparticuz from '@sparticuz/chromium';
import { chromium, type Browser } from 'playwright-core';
import { isAlive } from './processes.js';
import { repoRoot } from './runCli.js';

/**
 * Keep Chromium off the network while tests run (no updates, sync, first-run
 * or background requests, no QUIC), and without the sandbox, which refuses root.
 */
const OFFLINE_ARGS = ['--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--disable-quic', '--no-sandbox'];

/**
 * Flags of @sparticuz/chromium's recommended set we leave out:
 * `--single-process` breaks a browser shared by several tests (once the first
 * page's context closes, the next `newPage` fails with "Target page, context or
 * browser has been closed"); the web-security ones would let the pages do what
 * a user's browser refuses.
 */
const DROPPED_NPM_ARGS = new Set(['--single-process', '--disable-web-security', '--allow-running-insecure-content']);

/**
 * The npm package's flags without its software GL (ANGLE on SwiftShader, in the
 * browser process): with it, one full-page screenshot of the inspector took about
 * 10 s on a busy 2-CPU machine, against under 1 s with Chromium's plain software
 * compositing. Our pages draw no WebGL.
 */
function npmArgs(): string[] {
  sparticuz.setGraphicsMode = false;
  return sparticuz.args.filter((arg) => !DROPPED_NPM_ARGS.has(arg));
}

const packageDir = join(repoRoot, 'node_modules', '@sparticuz', 'chromium');

/**
 * Launches headless Chromium for the browser tests, on any machine that ran
 * `npm install`: no apt package and no download at run time.
 *
 * It prefers a system Chromium: `TEAMBOT_CHROMIUM` (an executable's path; it
 * must exist) or else `/usr/bin/chromium` when present. Otherwise it uses the
 * devDependency `@sparticuz/chromium`, whose npm package ships Chromium itself,
 * brotli-compressed (about 63 MB, 197 MB unpacked). That package unpacks into the
 * root of the temp directory and trusts whatever `$TMPDIR/chromium` it finds: a
 * half-written file while another test process extracts, or a stale one of an
 * older version. So we let it unpack in a child process whose TMPDIR is a
 * private staging directory, then rename that directory into place as
 * `$TMPDIR/teambot-chromium-<version>`; the rename is atomic, so a cache
 * directory is complete or absent, and concurrent test files never see half of
 * one (the loser of a race throws its copy away). Later runs reuse it.
 *
 * Everything, unpacking included, fits in `deadlineMs`; each failure says which
 * Chromium and which step. Callers give their hook a longer timeout.
 */
export async function launchBrowser({ deadlineMs = 90_000 }: { deadlineMs?: number } = {}): Promise<Browser> {
  const deadline = Date.now() + deadlineMs;
  const system = process.env.TEAMBOT_CHROMIUM || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  if (system !== undefined && !existsSync(system)) throw new Error(`TEAMBOT_CHROMIUM=${system}: no such file`);
  const { executablePath, args, source } = system !== undefined
    ? { executablePath: system, args: ['--disable-gpu', ...OFFLINE_ARGS], source: 'system Chromium' }
    : {
        executablePath: await unpackedChromium(deadline),
        args: [...npmArgs(), ...OFFLINE_ARGS],
        source: `@sparticuz/chromium ${packageVersion()}`,
      };
  const timeout = Math.max(1, deadline - Date.now());
  try {
    return await chromium.launch({ executablePath, args, headless: true, timeout });
  } catch (error) {
    throw new Error(`launching ${source} (${executablePath}) failed or took over ${timeout} ms: ${String(error)}`, { cause: error });
  }
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
}

let unpacking: Promise<string> | undefined;

/** The path of the npm package's Chromium, unpacked once per machine (see launchBrowser). */
function unpackedChromium(deadline: number): Promise<string> {
  unpacking ??= unpack(deadline).catch((error: unknown) => {
    unpacking = undefined; // the next caller tries again
    throw error;
  });
  return unpacking;
}

async function unpack(deadline: number): Promise<string> {
  const name = `teambot-chromium-${packageVersion()}`;
  const cacheDir = join(tmpdir(), name);
  const executable = join(cacheDir, 'chromium');
  if (existsSync(executable)) return executable;

  removeAbandonedStaging(name);
  const staging = mkdtempSync(join(tmpdir(), `${name}.partial-${process.pid}-`));
  try {
    const timeout = Math.max(1, deadline - Date.now());
    // The package's own code does the unpacking (and knows its files); only its temp dir is ours.
    const script = "const { default: c } = await import('@sparticuz/chromium'); process.stdout.write(await c.executablePath());";
    const printed = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--input-type=module', '-e', script],
        { cwd: repoRoot, env: { ...process.env, TMPDIR: staging }, timeout, killSignal: 'SIGKILL' },
        (error, stdout, stderr) => {
          if (error) reject(new Error(`unpacking Chromium from ${packageDir} into ${staging} failed or took over ${timeout} ms: ${error.message}\n${stderr}`, { cause: error }));
          else resolve(stdout.trim());
        });
    });
    if (printed !== join(staging, 'chromium')) throw new Error(`@sparticuz/chromium unpacked to ${printed}, expected ${join(staging, 'chromium')}`);
    try {
      renameSync(staging, cacheDir);
    } catch (error) {
      // Another test process finished first: its copy is complete, ours goes.
      if (!existsSync(executable)) throw error;
    }
    return executable;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Staging directories of test processes that died while unpacking (about 200 MB each). */
function removeAbandonedStaging(name: string): void {
  for (const entry of readdirSync(tmpdir())) {
    const pid = new RegExp(`^${name.replaceAll('.', '\\.')}\\.partial-(\\d+)-`).exec(entry)?.[1];
    if (pid === undefined || isAlive(Number(pid))) continue;
    try {
      rmSync(join(tmpdir(), entry), { recursive: true, force: true });
    } catch {
      // Not ours to remove (another user's): it only costs space.
    }
  }
}
