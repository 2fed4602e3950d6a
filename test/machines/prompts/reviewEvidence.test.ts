import { describe, expect, it } from 'vitest';
import { boundedText, truncationNote } from '../../../machines/prompts/boundedText.js';
import { quotedOutput, reviewEvidenceSections } from '../../../machines/prompts/reviewEvidence.js';

describe('bounded text', () => {
  it('keeps text within the bound whole', () => {
    expect(boundedText('a\nb', 3)).toEqual({ text: 'a\nb', truncated: false, totalBytes: 3 });
  });

  it('keeps the start or the end, cut at a line break', () => {
    expect(boundedText('a\nb\nc\n', 4)).toEqual({ text: 'a\nb', truncated: true, totalBytes: 6 });
    expect(boundedText('a\nb\nc', 4, 'tail')).toEqual({ text: 'b\nc', truncated: true, totalBytes: 5 });
  });

  it('never cuts a character in two', () => {
    const cut = boundedText('ééé', 3); // 6 bytes; the cut falls inside the second é
    expect(cut.text).toBe('é');
    expect(boundedText('ééé', 3, 'tail').text).toBe('é');
  });

  it('says what was left out, and nothing when nothing was', () => {
    expect(truncationNote(boundedText('x'.repeat(3000), 1024), 'the start', 'a.md')).toBe('(truncated: only the start of 3 KiB is shown; all of it is in a.md)');
    expect(truncationNote(boundedText('x', 1024), 'the start')).toBe('');
  });
});

describe('review evidence sections', () => {
  const changes = { diffStat: ' src/feature.ts | 1 +\n 1 file changed, 1 insertion(+)', status: '?? src/feature.ts' };

  it('quotes the feeding work stage, the diff stat and status since it started, and the acceptance results', () => {
    const sections = reviewEvidenceSections({
      workStage: { stage: 'SPEC', output: 'Wrote the spec' },
      changes: { available: true, since: 'SPEC started', changes },
      acceptanceResults: { shown: 'acceptance_test_results.md', text: boundedText('AT-001: passed', 8192) },
    });
    expect(sections).toEqual([
      '## Output of SPEC, the work stage this review checks\n```\nWrote the spec\n```',
      '## Changes in the working directory\n`git diff --stat` since SPEC started:\n```text\n src/feature.ts | 1 +\n 1 file changed, 1 insertion(+)\n```\n'
        + '`git status --short` now:\n```text\n?? src/feature.ts\n```',
      '## Latest acceptance test results (`acceptance_test_results.md` in the artifacts directory)\n```\nAT-001: passed\n```',
    ]);
  });

  it('says in one line when there is no diff to show, and when the work stage ran in an earlier session', () => {
    expect(reviewEvidenceSections({ workStage: { stage: 'SPEC', output: null }, changes: { available: false, reason: '/p is not a git repository' } })).toEqual([
      '## Output of SPEC, the work stage this review checks\n(SPEC ran in an earlier session of this run: judge the files and artifacts it wrote)',
      '## Changes in the working directory\nNot available (/p is not a git repository): judge the files themselves.',
    ]);
    const quiet = reviewEvidenceSections({ changes: { available: true, since: 'PLAN started', changes: { diffStat: '', status: '' } } });
    expect(quiet).toEqual(['## Changes in the working directory\n`git diff --stat` since PLAN started:\n(no changes)\n`git status --short` now:\n(clean)']);
  });

  it('bounds each piece, noting what was left out', () => {
    const stat = Array.from({ length: 2000 }, (_, index) => ` src/file${index}.ts | 1 +`).join('\n');
    const [section] = reviewEvidenceSections({ changes: { available: true, since: 'SPEC started', changes: { diffStat: stat, status: '' } } }, 1024);
    // Exactly the whole lines within the first 1024 bytes are quoted, and nothing after them.
    const shown = stat.slice(0, stat.lastIndexOf('\n', 1023));
    expect(section).toContain(`\`\`\`text\n${shown}\n\`\`\`\n(truncated`);
    expect(section).not.toContain(stat.slice(shown.length + 1).split('\n')[0]);
    expect(section).toContain(' src/file0.ts | 1 +');
    expect(section).toMatch(/\(truncated: only the start of \d+ KiB is shown\)/);
    const output = quotedOutput(`${'noise\n'.repeat(1000)}Summary: wrote src/feature.ts`, 256);
    expect(output).toMatch(/^\(truncated: only the end of 6 KiB is shown\)\n```\n[\s\S]*Summary: wrote src\/feature\.ts\n```$/);
  });
});
