/**
 * Named moments at which tests make teambot die by SIGKILL, exactly there:
 * `TEAMBOT_TEST_CRASH_AT=journal-record:3` kills it halfway through writing its
 * third journal record, `compaction:2` between its second rewrite of the state
 * file (the first is the session's start) and the emptying of the journal,
 * `merged:1` after an isolated group's first stage was merged into the
 * project and before the run recorded it. A kill
 * from outside cannot aim at a window a few microseconds wide; this can, so
 * the crash-safety tests prove those windows rather than hope to hit them.
 * Unset (always, outside tests), a crash point costs one comparison.
 */

export type CrashPointName = 'journal-record' | 'compaction' | 'merged';

const wanted = parse(process.env.TEAMBOT_TEST_CRASH_AT);
const seen = new Map<CrashPointName, number>();

/**
 * Passing crash point `name`: when it is the occurrence the environment names,
 * does `before` (a half-written record) and dies.
 */
export function crashPoint(name: CrashPointName, before?: () => void): void {
  if (wanted?.name !== name) return;
  const count = (seen.get(name) ?? 0) + 1;
  seen.set(name, count);
  if (count !== wanted.occurrence) return;
  before?.();
  process.kill(process.pid, 'SIGKILL');
}

function parse(setting: string | undefined): { name: CrashPointName; occurrence: number } | undefined {
  const match = /^(journal-record|compaction|merged):(\d+)$/.exec(setting ?? '');
  return match ? { name: match[1] as CrashPointName, occurrence: Number(match[2]) } : undefined;
}
