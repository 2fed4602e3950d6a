import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoProject, stackTraceLine } from '../../support/project.js';
import { runCliInProcess } from '../../support/runCli.js';

/** One simulated run of the demo objective, for `inspect` to find. */
const PROCESSES = { timeout: 60_000 };

describe('inspect --port', PROCESSES, () => {
  const p = demoProject('default_ms: 2\n');
  let busy: Server;
  let busyPort: number;

  beforeAll(async () => {
    expect((await runCliInProcess(p.run, { cwd: p.cwd })).exitCode).toBe(0);
    busy = createServer();
    await new Promise<void>((resolve, reject) => {
      busy.once('error', reject);
      busy.listen(0, '127.0.0.1', resolve);
    });
    busyPort = (busy.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => busy.close(() => resolve()));
  });

  it('refuses a port in use with exit 2, naming the port, the rule and a fix, without a stack trace', async () => {
    const result = await runCliInProcess(['inspect', '--port', String(busyPort)], { cwd: p.cwd });
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`command line: --port ${busyPort}: the port is in use [port-in-use]\n  fix: `);
    expect(result.stderr).not.toMatch(stackTraceLine);
    expect(result.stderr).not.toMatch(/unexpected error/);
  });

  it.each(['abc', '0', '65536', '80.5', '-1', '0x50', ''])('refuses --port %j as not a port number, before reading the run', async (port) => {
    const result = await runCliInProcess(['inspect', '--port', port], { cwd: p.cwd });
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`command line: --port ${port}: not a port number (1–65535) [invalid-port]\n  fix: `);
    expect(result.stderr).not.toMatch(stackTraceLine);
    expect(result.stderr).not.toMatch(/unexpected error/);
  });
});
