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
 * words of that text; `feature` as the last resort.
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
  if (meaningful) return meaningful.slice(0, 3).join('-');

  // Only skip words and single letters: still better to name the directory after the text
  // than to fall back to the catch-all name.
  const anyWords = wordLists.find((list) => list.length > 0);
  if (anyWords) return anyWords.slice(0, 2).join('-');

  return 'feature';
}
