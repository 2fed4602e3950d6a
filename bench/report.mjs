// The one table `npm run bench` prints, and bench/results.json.
import { writeFileSync } from 'node:fs';
import { round } from './lib.mjs';

const COLUMNS = ['benchmark', 'metric', 'value', 'unit', 'notes'];

/**
 * The table as text, one row per metric.
 *
 * @param sections { [benchmark]: metric[] } in the order to print
 */
export function formatTable(sections) {
  const rows = Object.entries(sections).flatMap(([benchmark, metrics]) =>
    metrics.map((entry) => [benchmark, entry.name, String(round(entry.value)), entry.unit, entry.notes]));
  const widths = COLUMNS.slice(0, -1).map((title, index) => Math.max(title.length, ...rows.map((row) => row[index].length)));
  const line = (cells) => cells.map((cell, index) => (index === 1 || index === 3 || index === 0 ? cell.padEnd(widths[index] ?? 0)
    : index === 2 ? cell.padStart(widths[index]) : cell)).join('  ').trimEnd();
  const rule = widths.map((width) => '─'.repeat(width)).join('  ') + '  ' + '─'.repeat(5);
  return [line(COLUMNS), rule, ...rows.map(line)].join('\n');
}

/**
 * The goals the metrics carry, one line each with the measured value and ✓ (met) or ✗; nothing
 * when no metric has a goal.
 */
export function formatGoals(sections) {
  const rows = Object.values(sections).flat().filter((entry) => entry.goal);
  if (rows.length === 0) return '';
  const met = (entry) => Number.isFinite(entry.value) && entry.value <= entry.goal.max;
  const width = Math.max(...rows.map((entry) => entry.name.length));
  const lines = rows.map((entry) => `${met(entry) ? '✓' : '✗'} ${entry.name.padEnd(width)}  ${String(round(entry.value)).padStart(7)} ${entry.unit.padEnd(3)}  goal ${entry.goal.text}`);
  return [`Goals (issue 17): ${rows.filter(met).length} of ${rows.length} met`, ...lines].join('\n');
}

export function printTable(sections) {
  console.log(formatTable(sections));
  const goals = formatGoals(sections);
  if (goals) console.log(`\n${goals}`);
}

/** Writes results.json: the machine, the date, and every metric with its unit, runs and command. */
export function writeResults(path, { machine, startedAt, durationS, sections, errors, quick = false }) {
  const benchmarks = Object.fromEntries(Object.entries(sections).map(([benchmark, metrics]) => [benchmark,
    metrics.map((entry) => ({ ...entry, value: round(entry.value) }))]));
  writeFileSync(path, `${JSON.stringify({ machine, date: startedAt, duration_s: round(durationS), quick, benchmarks, errors }, null, 2)}\n`);
}
