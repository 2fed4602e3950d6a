import { mergedFilesText } from './eventDescription.js';
import { formatDuration } from './duration.js';
import { Chalk } from 'chalk';
import { terminalLine } from './terminalText.js';
import type { GroupView, RunView, StageView } from '../run-view/runViewModel.js';
import { ABORTED_BECAUSE, STAGE_STATES, stageState, stageWord, type StageState } from './stageWords.js';

export interface RunSummaryOptions {
  /** Terminal columns; no line is longer. */
  readonly width: number;
  /** ANSI colours; false gives plain text with no escape codes. */
  readonly color: boolean;
  /** Where the run's files are, as the user should type them. */
  readonly paths: { readonly artifacts: string; readonly state: string; readonly events: string };
  /** Shown when the run can be resumed. */
  readonly resumeCommand?: string;
}

type Tone = 'green' | 'red' | 'yellow' | 'cyan' | 'dim' | 'bold';
/** Part of a line and its colour; a line is fitted to the width before it is coloured. */
type Segment = readonly [text: string, tone?: Tone];
type Line = readonly Segment[];

/**
 * The summary printed when a run ends: how it ended, every stage with its
 * time, a timeline of this session on one time axis (parallel stages overlap),
 * the time each parallel group saved, and where the files are.
 *
 * @example renderRunSummary(view, { width: 100, color: false, paths: { artifacts: '.teambot/x/artifacts/', state: '.teambot/x/orchestration_state.json', events: '.teambot/x/events.jsonl' } })
 * // '✓ complete\n  Login (login), runner copilot, 7 min 20 s this session\n\nSTAGES\n  ✓ SETUP …'
 */
export function renderRunSummary(unsafeView: RunView, unsafeOptions: RunSummaryOptions): string {
  const view = safeView(unsafeView);
  const options = safeOptions(unsafeOptions);
  const width = Math.max(1, Math.floor(options.width));
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const lines: Line[] = [
    ...statusLines(view, width),
    [],
    [['STAGES', 'bold']],
    ...stageTable(view, width),
    ...timeline(view, width),
    [],
    ...fileLines(options, width),
  ];
  return lines.map((line) => fitLine(line, width).map(([text, tone]) => (tone ? chalk[tone](text) : text)).join('')).join('\n');
}

/**
 * The view with every text an agent, an objective or a configuration wrote made safe
 * (terminalLine) before it is measured, wrapped and coloured: what is fitted to the width is
 * what is printed, and colour goes around safe text only.
 */
function safeView(view: RunView): RunView {
  return {
    ...view,
    title: terminalLine(view.title),
    feature: terminalLine(view.feature),
    runner: terminalLine(view.runner),
    // An error of several lines (a merge conflict's files and hunks) keeps them, each made safe.
    ...(view.error !== undefined ? { error: view.error.split('\n').map(terminalLine).join('\n') } : {}),
    stages: view.stages.map((stage) => ({
      ...stage,
      id: terminalLine(stage.id),
      group: stage.group === null ? null : terminalLine(stage.group),
      ...(stage.error !== undefined ? { error: terminalLine(stage.error) } : {}),
    })),
    groups: view.groups.map((group) => ({ ...group, id: terminalLine(group.id), stages: group.stages.map(terminalLine) })),
  };
}

/** Paths and the resume command name directories a run or a user chose: made safe like the view. */
function safeOptions(options: RunSummaryOptions): RunSummaryOptions {
  const { artifacts, state, events } = options.paths;
  return {
    ...options,
    paths: { artifacts: terminalLine(artifacts), state: terminalLine(state), events: terminalLine(events) },
    ...(options.resumeCommand !== undefined ? { resumeCommand: terminalLine(options.resumeCommand) } : {}),
  };
}

/** "✓ complete" or "✗ <status>: <error>", then what ran and for how long. */
function statusLines(view: RunView, width: number): Line[] {
  const sessionMs = runEnd(view) - view.startedAt;
  const total = view.elapsedBefore > 0
    ? `, ${formatDuration(view.elapsedBefore * 1000 + sessionMs)} over all sessions` : '';
  const about = wrapWords(`${view.title} (${view.feature}), runner ${view.runner}, ${formatDuration(sessionMs)} this session${total}`, width, '  ', '  ')
    .map((text): Line => [[text, 'dim']]);
  if (view.status === 'complete') return [[['✓ complete', 'green']], ...about];
  if (view.status === 'running' || view.status === 'cancelling') return [[[`… ${view.status}`, 'yellow']], ...about];
  const [first, ...details] = (view.error ?? '').split('\n');
  const headline = `✗ ${view.status}${first ? `: ${first}` : ''}`;
  // Detail lines keep their indentation (a conflict's hunks); too long, they are cut rather than rewrapped.
  const detailLines = details.map((text): Line => [[`  ${text}`.slice(0, Math.max(width, 20)), 'red']]);
  return [...wrapWords(headline, width, '', '  ').map((text): Line => [[text, 'red']]), ...detailLines, ...about];
}

/** One row per stage; notes that do not fit beside it go, wrapped, on the lines below. */
function stageTable(view: RunView, width: number): Line[] {
  const rows = view.stages.map((stage) => ({ stage, time: timeText(stage), notes: notesOf(stage) }));
  const idWidth = Math.max(...rows.map((row) => row.stage.id.length));
  // Only rows with notes need aligned times: "completed earlier" alone should not widen the column.
  const timeWidth = Math.max(0, ...rows.filter((row) => row.notes).map((row) => row.time.length));
  return rows.flatMap(({ stage, time, notes }): Line[] => {
    const { mark, tone } = STAGE_STATES[stageState(stage)];
    const quiet = tone === 'dim';
    const row: Segment[] = [['  '], [mark, tone], [` ${stage.id.padEnd(idWidth)}  `], [time.padEnd(timeWidth), quiet ? 'dim' : undefined]];
    const notesTone = stage.status === 'failed' ? 'red' : 'dim';
    if (!notes) return [row];
    const used = row.reduce((sum, [text]) => sum + lengthOf(text), 0);
    if (used + 2 + lengthOf(notes) <= width) return [[...row, [`  ${notes}`, notesTone]]];
    return [row, ...wrapWords(notes, width, '      ', '      ').map((text): Line => [[text, notesTone]])];
  });
}

/** States with no time of this session: their word stands in the time column. */
const UNTIMED: ReadonlySet<StageState> = new Set(['completed_earlier', 'skipped', 'pending', 'running']);

function timeText(stage: StageView): string {
  if (UNTIMED.has(stageState(stage))) return stageWord(stage);
  return stage.durationMs !== undefined ? formatDuration(stage.durationMs) : '—';
}

function notesOf(stage: StageView): string {
  const notes: string[] = [];
  const state = stageState(stage);
  if (state === 'failed') notes.push(`${stageWord(stage)}: ${stage.error ?? 'no reason given'}`);
  // An interrupted stage's error says how the run ended (stageWords interruptedBy).
  if (state === 'interrupted') notes.push(stage.error ?? stageWord(stage));
  if (state === 'aborted') notes.push(`${stageWord(stage)}: ${ABORTED_BECAUSE}`);
  if (stage.lastVerdict) notes.push(`${stage.lastVerdict} in iteration ${stage.iteration ?? 1} of ${stage.maxIterations ?? '?'}`);
  if (stage.acceptance) {
    const { passed, failed, total } = stage.acceptance;
    notes.push(`round ${stage.iteration ?? 1}: ${passed}/${total} passed${failed > 0 ? `, ${failed} failed` : ''}`);
  }
  if (stage.group) notes.push(`‖ ${stage.group}`);
  if (stage.mergedFiles) notes.push(`merged: ${mergedFilesText(stage.mergedFiles)}`);
  return notes.join('; ').replace(/\s+/g, ' ');
}

const BAR: Record<StageView['status'], Segment> = {
  completed: ['█', 'green'], failed: ['░', 'red'], aborted: ['▒', 'yellow'],
  running: ['▆', 'yellow'], skipped: [' '], pending: [' '],
};
/** The states marked at the end of their bar: the ones that did not complete. */
const MARKED: ReadonlySet<StageState> = new Set(['failed', 'interrupted', 'aborted']);
const markerOf = (stage: StageView): string | undefined => {
  const state = stageState(stage);
  return MARKED.has(state) ? STAGE_STATES[state].mark : undefined;
};
const MIN_BAR_WIDTH = 10;

/**
 * One bar per stage that ran in this session, on one axis from the session's
 * start to its end, so stages of a parallel group visibly overlap; then what
 * each group saved compared with running its stages one after another.
 */
function timeline(view: RunView, width: number): Line[] {
  const ran = view.stages.filter((stage) => stage.startedAt !== undefined);
  if (ran.length === 0) return [];
  const start = Math.min(view.startedAt, ...ran.map((stage) => stage.startedAt!));
  const end = Math.max(runEnd(view), start + 1);
  const rows = ran.map((stage) => ({ stage, time: stage.durationMs !== undefined ? formatDuration(stage.durationMs) : '' }));
  const timeWidth = Math.max(...rows.map((row) => row.time.length));
  const markerWidth = ran.some((stage) => markerOf(stage)) ? 2 : 0;
  const fixed = 2 + 2 + 2 + timeWidth + markerWidth;
  const idWidth = Math.max(4, Math.min(Math.max(...ran.map((stage) => stage.id.length)), width - fixed - MIN_BAR_WIDTH));
  const barWidth = Math.max(MIN_BAR_WIDTH, width - fixed - idWidth);
  const column = (time: number) => Math.round(((time - start) / (end - start)) * barWidth);
  const totalText = formatDuration(end - start);
  const axisIndent = ' '.repeat(2 + idWidth + 2);
  return [
    [],
    [['TIMELINE', 'bold'], [`  this session, 0 to ${totalText}`, 'dim']],
    ...rows.map(({ stage, time }): Line => {
      const from = Math.min(column(stage.startedAt!), barWidth - 1);
      const to = Math.min(barWidth, Math.max(from + 1, column(stage.endedAt ?? end)));
      const [char, tone] = BAR[stage.status];
      const marker = markerOf(stage);
      return [
        [`  ${fitText(stage.id, idWidth).padEnd(idWidth)}  ${' '.repeat(from)}`],
        [char.repeat(to - from), tone],
        [`${' '.repeat(barWidth - to)}  ${time.padStart(timeWidth)}`],
        [marker ? ` ${marker}` : '', stage.status === 'failed' ? 'red' : 'yellow'],
      ];
    }),
    [[`${axisIndent}├${'─'.repeat(barWidth - 2)}┤`, 'dim']],
    [[`${axisIndent}0${totalText.length < barWidth - 1 ? totalText.padStart(barWidth - 1) : ''}`, 'dim']],
    ...view.groups.flatMap((group) => groupSaving(view, group, end, width)),
  ];
}

/** "saved X": the sum of the group's stage times minus its wall time, never negative. */
function groupSaving(view: RunView, group: GroupView, runEndAt: number, width: number): Line[] {
  if (group.startedAt === undefined) return [];
  const ran = view.stages.filter((stage) => stage.group === group.id && stage.startedAt !== undefined);
  // Interrupted stages never finished: how long they would have taken is unknown.
  if (ran.length < 2 || ran.some((stage) => stage.status === 'aborted' || stage.status === 'running')) return [];
  const sequentialMs = ran.reduce((sum, stage) => sum + (stage.durationMs ?? (stage.endedAt ?? runEndAt) - stage.startedAt!), 0);
  const wallMs = (group.endedAt ?? runEndAt) - group.startedAt;
  const savedMs = Math.max(0, sequentialMs - wallMs);
  const text = `‖ ${group.id}: ${ran.map((stage) => stage.id).join(' ‖ ')} ran together in ${formatDuration(wallMs)}, `
    + `saved ${formatDuration(savedMs)} compared with running its stages one after another`;
  return wrapWords(text, width, '  ', '    ').map((line): Line => [[line]]);
}

/** Artifacts, state file, events log and, for an unfinished run, the command that resumes it. */
function fileLines(options: RunSummaryOptions, width: number): Line[] {
  const labelled = (label: string, value: readonly string[]) =>
    value.map((part, index): Line => [[index === 0 ? `  ${label.padEnd(9)}  ` : ' '.repeat(13), 'dim'], [part]]);
  const room = Math.max(1, width - 13);
  return [
    ...labelled('artifacts', chunk(options.paths.artifacts, room)),
    ...labelled('state', chunk(options.paths.state, room)),
    ...labelled('events', chunk(options.paths.events, room)),
    ...(options.resumeCommand ? labelled('resume', wrapCommand(options.resumeCommand, room)) : []),
  ];
}

/** When the run ended, or the latest time it knows of while it is still running. */
function runEnd(view: RunView): number {
  if (view.endedAt !== undefined) return view.endedAt;
  const times = [...view.stages, ...view.groups].flatMap((item) => [item.startedAt, item.endedAt])
    .filter((time): time is number => time !== undefined);
  return Math.max(view.startedAt, ...times);
}

// Text fitting. Lengths count code points: every character teambot draws is one column wide.

const lengthOf = (text: string) => Array.from(text).length;

function fitText(text: string, room: number): string {
  const chars = Array.from(text);
  if (chars.length <= room) return text;
  return room <= 0 ? '' : `${chars.slice(0, room - 1).join('')}…`;
}

/** Cuts a line's segments to the width (with … where cut) and drops its trailing spaces. */
function fitLine(line: Line, width: number): Segment[] {
  const fitted: Segment[] = [];
  let room = width;
  for (const [text, tone] of line) {
    const shown = fitText(text, room);
    fitted.push([shown, tone]);
    room -= lengthOf(shown);
    if (shown !== text) break;
  }
  while (fitted.length > 0) {
    const [text, tone] = fitted.at(-1)!;
    const trimmed = text.trimEnd();
    if (trimmed) {
      fitted[fitted.length - 1] = [trimmed, tone];
      break;
    }
    fitted.pop();
  }
  return fitted;
}

/** Words over lines of at most `width`, each line indented; a word longer than a line is broken. */
function wrapWords(text: string, width: number, firstIndent: string, indent: string): string[] {
  const lines: string[] = [];
  let current = firstIndent;
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!empty && lengthOf(current) + 1 + lengthOf(word) > width) {
      lines.push(current);
      current = indent;
      empty = true;
    }
    current += empty ? word : ` ${word}`;
    empty = false;
  }
  lines.push(current);
  return lines.flatMap((line, index) => chunk(line, width, index === 0 ? firstIndent : indent));
}

/** A command over lines that still paste into a shell: each continued line ends with " \". */
function wrapCommand(command: string, width: number): string[] {
  if (lengthOf(command) <= width) return [command];
  const lines = wrapWords(command, Math.max(1, width - 2), '', '');
  return lines.map((line, index) => (index < lines.length - 1 ? `${line} \\` : line));
}

/** Hard breaks a text without spaces (a path) into pieces of at most `width`. */
function chunk(text: string, width: number, indent = ''): string[] {
  const chars = Array.from(text);
  if (chars.length <= width) return [text];
  const room = Math.max(1, width - lengthOf(indent));
  const pieces = [chars.slice(0, width).join('')];
  for (let at = width; at < chars.length; at += room) pieces.push(indent + chars.slice(at, at + room).join(''));
  return pieces;
}
