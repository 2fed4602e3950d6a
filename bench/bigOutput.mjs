#!/usr/bin/env node
// A stand-in agent CLI for the benchmarks, run by teambot's command runner:
//   "runner": { "type": "command", "argv": ["node", "bench/bigOutput.mjs", "{stage}", "{prompt}"] }
// It prints BIG_OUTPUT_BYTES of stdout (default 1 MiB) in lines of BIG_OUTPUT_LINE_BYTES (default
// 64 KiB), writes every artifact the prompt asks for (the feature spec with two acceptance
// scenarios), and approves reviews. A prompt too long for one argument arrives as "read the file".
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const [stage = 'UNKNOWN', argument = ''] = process.argv.slice(2);
const totalBytes = Number(process.env.BIG_OUTPUT_BYTES ?? 1024 * 1024);
const lineBytes = Math.max(16, Number(process.env.BIG_OUTPUT_LINE_BYTES ?? 64 * 1024));

const promptFile = /instructions for this task are in the file (\S+?)\.? Read/.exec(argument);
const prompt = promptFile ? readFileSync(resolve(promptFile[1]), 'utf8') : argument;
const isReview = prompt.includes('## Your verdict');

const SCENARIOS = '\n## Acceptance Test Scenarios\n\n### AT-001: Toggle dark mode\n**Steps**:\n1. Click the toggle\n'
  + '**Expected Result**: The page is dark.\n\n### AT-002: Persist the choice\n**Steps**:\n1. Reload\n**Expected Result**: Still dark.\n';
// Only the "Write each of these files" list names .md paths under artifacts/ on their own line.
for (const [, path] of prompt.matchAll(/^- `([^`]*\/artifacts\/[^`]+)`$/gm)) {
  const target = resolve(path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, `# ${stage}: ${target.split('/').pop()}\n\nWritten by bench/bigOutput.mjs.\n${target.endsWith('feature_spec.md') ? SCENARIOS : ''}`);
}

const lines = [];
for (let written = 0, index = 1; written < totalBytes; index++) {
  const head = `${stage} output line ${index} `;
  const line = head.padEnd(Math.min(lineBytes, totalBytes - written) - 1, 'x');
  lines.push(line);
  written += Buffer.byteLength(line) + 1;
}
lines.push(isReview ? `VERIFIED_APPROVED: ${stage} meets its exit criteria` : `${stage} done`);
process.stdout.write(`${lines.join('\n')}\n`);
