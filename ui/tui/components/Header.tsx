import { Box } from 'ink';
import { stoppingAgentsText } from '../../run-view/runView.js';
import type { RunView } from '../../run-view/runViewModel.js';
import { formatElapsed } from '../../text/duration.js';
import { oneLine } from '../format.js';
import type { Segment } from '../segments.js';
import { spinnerFrame } from '../spinner.js';
import { StyledLine } from './StyledLine.js';

export interface HeaderProps {
  readonly view: RunView;
  /** The frame's clock (epoch ms). */
  readonly now: number;
  readonly width: number;
  /** The inspector's address (`--inspect`), shown on a line of its own. */
  readonly inspectorUrl?: string | undefined;
}

/** The run's status in words (and a mark), so it reads without colour. */
const STATUS: Readonly<Record<Exclude<RunView['status'], 'running'>, Segment>> = {
  cancelling: { text: '■ saving state…', color: 'yellow' },
  complete: { text: '✓ complete', color: 'green' },
  cancelled: { text: '■ cancelled', color: 'yellow' },
  timeout: { text: '■ time limit reached', color: 'yellow' },
  error: { text: '✗ error', color: 'red' },
  review_failed: { text: '✗ review failed', color: 'red' },
  acceptance_test_failed: { text: '✗ acceptance tests failed', color: 'red' },
};
const SEPARATOR: Segment = { text: ' · ', dim: true };

/**
 * Two lines: the objective's title, then status, elapsed / time limit,
 * feature and runner (most important first, as narrow screens cut the end);
 * with `--inspect`, a third with the inspector's address.
 *
 *     teambot  Add a login page
 *     ⠋ running · 1 min 04 s / 30 min 00 s · feature add-login · runner claude
 *     inspector  http://127.0.0.1:4100/
 */
export function Header({ view, now, width, inspectorUrl }: HeaderProps) {
  return (
    <Box flexDirection="column">
      <StyledLine segments={[{ text: 'teambot  ', dim: true }, { text: oneLine(view.title), bold: true }]} width={width} />
      <StyledLine segments={statusSegments(view, now)} width={width} />
      {inspectorUrl && <StyledLine segments={[{ text: 'inspector  ', dim: true }, { text: inspectorUrl, color: 'cyan' }]} width={width} />}
    </Box>
  );
}

function statusSegments(view: RunView, now: number): Segment[] {
  const status: Segment = view.status === 'running' ? { text: `${spinnerFrame(now)} running`, color: 'cyan' }
    : view.status === 'cancelling' ? { text: `■ ${stoppingAgentsText(view.stoppingAgents ?? 0)}`, color: 'yellow' }
      : STATUS[view.status];
  // Earlier sessions' seconds plus this session's time; frozen once the run ended.
  const elapsedMs = view.elapsedBefore * 1000 + (view.endedAt ?? now) - view.startedAt;
  const segments: Segment[] = [
    status,
    ...(view.status === 'error' && view.error ? [{ text: `: ${oneLine(view.error)}`, color: 'red' }] : []),
    SEPARATOR,
    { text: formatElapsed(elapsedMs) },
    { text: ` / ${formatElapsed(view.maxSeconds * 1000)}`, dim: true },
    SEPARATOR,
    { text: 'feature ', dim: true },
    { text: view.feature },
    SEPARATOR,
    { text: 'runner ', dim: true },
    { text: view.runner },
  ];
  return segments;
}
