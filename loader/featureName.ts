import { createHash } from 'node:crypto';
import transliterate from '@sindresorhus/transliterate';

// TeamBot's list, kept verbatim: `.teambot/<feature>/` must be the same directory TeamBot
// would pick for the same objective, so this list may not be "improved" on its own.
const SKIP_WORDS = new Set(
  (
    'a an the and or but in on at to for of with by from as is was are were been be have has ' +
    'had do does did will would could should may might must shall can need add create ' +
    'implement build make update fix new support enable allow enhance improve change i we you ' +
    'it this that these those like want so when if then also solution system feature ' +
    'functionality ability'
  ).split(' '),
);

const GENERIC_TITLES = new Set(['objective', 'untitled', '']);

/**
 * The longest feature name: it is a directory name (most file systems allow 255 bytes) inside
 * paths that also hold artifact names, and it is typed on the command line.
 */
export const MAX_FEATURE_NAME_LENGTH = 64;

/**
 * Lower-case alphanumeric words. Letters are transliterated first (é → e, ß → ss, Привет →
 * Privet) so a non-English title still names its feature instead of losing those words.
 */
function words(text: string): string[] {
  return transliterate(text).toLowerCase().match(/[a-z0-9]+/g) ?? [];
}

function isMeaningful(word: string): boolean {
  return word.length > 1 && !SKIP_WORDS.has(word);
}

/** `docs/sdd-objective-shared-context.md` → `shared-context`. */
function fileStem(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  return base.replace(/\.md$/i, '').replace(/^(?:sdd-)?objective-/i, '');
}

/**
 * The `.teambot/<feature>/` directory name for an objective, computed as TeamBot does: up to
 * three meaningful words of the title; for a generic title (`Objective`, `Untitled`, empty) of
 * the file name, or failing that of the first goal; with no meaningful word, the first two
 * words of that text; with no Latin letter or digit in it, `feature-` and 8 hex digits of the
 * text's sha256; `feature` when there is no text at all. At most 64 characters, cut at a word.
 *
 * @example deriveFeatureName('Objective: Add user dashboard widgets', 'o.md') // 'user-dashboard-widgets'
 * @example deriveFeatureName('Objective', 'sdd-objective-shared-context.md') // 'shared-context'
 * @example deriveFeatureName('Untitled', 'objective-new.md', 'Cache API replies') // 'cache-api-replies'
 */
export function deriveFeatureName(title: string, fileName: string, firstGoal?: string): string {
  const cleanTitle = title.trim().replace(/^objective:\s*/i, '').trim();
  const candidates = GENERIC_TITLES.has(cleanTitle.toLowerCase())
    ? [fileStem(fileName), firstGoal ?? '']
    : [cleanTitle];
  const wordLists = candidates.map(words);

  const meaningful = wordLists.map((list) => list.filter(isMeaningful)).find((list) => list.length > 0);
  if (meaningful) return capped(meaningful.slice(0, 3));

  // Only skip words and single letters: still better to name the directory after the text
  // than to fall back to the catch-all name.
  const anyWords = wordLists.find((list) => list.length > 0);
  if (anyWords) return capped(anyWords.slice(0, 2));

  // No Latin letter or digit survives (emoji, punctuation, a script transliterate leaves
  // alone): a name of the text's own, so two such objectives do not share one run directory.
  const text = candidates.map((candidate) => candidate.trim()).filter(Boolean).join('\n');
  return text === '' ? 'feature' : `feature-${createHash('sha256').update(text).digest('hex').slice(0, 8)}`;
}

/**
 * Words joined by `-`, at most MAX_FEATURE_NAME_LENGTH characters: whole words while they fit,
 * a first word longer than that cut short.
 *
 * @example capped(['a'.repeat(5000)]) // 'aaaa…' (64 characters)
 */
function capped(words: readonly string[]): string {
  let name = words[0]!.slice(0, MAX_FEATURE_NAME_LENGTH);
  for (const word of words.slice(1)) {
    if (name.length + 1 + word.length > MAX_FEATURE_NAME_LENGTH) break;
    name = `${name}-${word}`;
  }
  return name;
}
