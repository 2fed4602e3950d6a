import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

type Transliterate = typeof import('@sindresorhus/transliterate').default;
let transliterateModule: Transliterate | undefined;

/**
 * Loads `@sindresorhus/transliterate` ahead of a synchronous naming, for text with a letter
 * outside ASCII: it builds its patterns when imported (tens of milliseconds), which most runs
 * never need. An ES module: a dynamic import works on every Node 20 (loadObjective.ts calls this).
 */
export async function loadTransliteration(text: string): Promise<void> {
  if (transliterateModule || /^[\0-\x7f]*$/.test(text)) return;
  transliterateModule = (await import('@sindresorhus/transliterate')).default;
}

/**
 * Text with letters made ASCII (é → e). Without loadTransliteration first, the module is
 * required synchronously (require of an ES module: Node 20.19 and later).
 */
function transliterate(text: string): string {
  // On ASCII text it only removes the two ASCII diacritics, ^ and `.
  if (/^[\0-\x7f]*$/.test(text)) return text.replace(/[\^`]/g, '');
  transliterateModule ??= (createRequire(import.meta.url)('@sindresorhus/transliterate') as { default: Transliterate }).default;
  return transliterateModule(text);
}

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

/** The words as TeamBot sees them: what is not a-z or 0-9 after lower-casing splits words (é, ß, Привет). */
function teamBotWords(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
}

function isMeaningful(word: string): boolean {
  return word.length > 1 && !SKIP_WORDS.has(word);
}

/** TeamBot's `_derive_feature_name`: up to three meaningful words, else the first two; undefined where it says `feature`. */
function nameOf(text: string, wordsOf: (text: string) => string[]): string | undefined {
  const list = wordsOf(text.trim().replace(/^objective:\s*/i, ''));
  const meaningful = list.filter(isMeaningful);
  const chosen = meaningful.length > 0 ? meaningful.slice(0, 3) : list.slice(0, 2);
  return chosen.length > 0 ? capped(chosen) : undefined;
}

/** `docs/sdd-objective-shared-context.md` → `shared-context`; `objective.md` → `` (it names nothing). */
function fileStem(fileName: string): string {
  const base = (fileName.split(/[\\/]/).pop() ?? '').toLowerCase();
  const stem = base.replace(/^(?:sdd-)?objective-?/, '').replace(/\.md$/, '');
  return stem === 'objective' ? '' : stem;
}

/**
 * TeamBot's order: the title; for a generic title (`Objective`, `Untitled`, empty) the file
 * name, if that gives more than two characters; then the first goal, if that gives more than
 * three; undefined where TeamBot falls back to `feature`.
 */
function nameBy(title: string, fileName: string, firstGoal: string | undefined, wordsOf: (text: string) => string[]): string | undefined {
  const cleanTitle = title.trim().replace(/^objective:\s*/i, '').trim();
  if (!GENERIC_TITLES.has(cleanTitle.toLowerCase())) return nameOf(cleanTitle, wordsOf);
  const stem = fileStem(fileName);
  const fromFile = stem === '' ? undefined : nameOf(stem, wordsOf);
  if (fromFile && fromFile.length > 2) return fromFile;
  const fromGoal = firstGoal ? nameOf(firstGoal, wordsOf) : undefined;
  return fromGoal && fromGoal.length > 3 ? fromGoal : undefined;
}

/**
 * The `.teambot/<feature>/` directory name for an objective, computed as TeamBot does: up to
 * three meaningful words of the title (else its first two words); for a generic title
 * (`Objective`, `Untitled`, empty) of the file name without `objective-` / `sdd-objective-`
 * (`objective.md` names nothing), or failing that of the first goal; else `feature`. Unlike
 * TeamBot, letters are transliterated (TeamBot drops é, so `Café menu` is its `caf-menu`:
 * teamBotFeatureName), text with no Latin letter or digit at all gets `feature-` and 8 hex
 * digits of its sha256 instead of the shared `feature`, and names are at most 64 characters,
 * cut at a word.
 *
 * @example deriveFeatureName('Objective: Add user dashboard widgets', 'o.md') // 'user-dashboard-widgets'
 * @example deriveFeatureName('Objective', 'sdd-objective-shared-context.md') // 'shared-context'
 * @example deriveFeatureName('Objective', 'objective.md', 'Cache API replies') // 'cache-api-replies'
 */
export function deriveFeatureName(title: string, fileName: string, firstGoal?: string): string {
  const name = nameBy(title, fileName, firstGoal, words);
  if (name) return name;
  // TeamBot's catch-all, unless no Latin letter or digit survives (emoji, punctuation, a script
  // transliterate leaves alone): then a name of the text's own, so two such objectives do not
  // share one run directory.
  const cleanTitle = title.trim().replace(/^objective:\s*/i, '').trim();
  const candidates = GENERIC_TITLES.has(cleanTitle.toLowerCase()) ? [fileStem(fileName), firstGoal ?? ''] : [cleanTitle];
  if (candidates.some((text) => words(text).length > 0)) return 'feature';
  const text = candidates.map((candidate) => candidate.trim()).filter(Boolean).join('\n');
  return text === '' ? 'feature' : `feature-${createHash('sha256').update(text).digest('hex').slice(0, 8)}`;
}

/**
 * The name TeamBot itself gives the feature directory (no transliteration: `Café menu` →
 * `caf-menu`), so a run TeamBot started is found under it (featureDirectoryFor.ts).
 *
 * @example teamBotFeatureName('Crème brûlée ordering', 'o.md') // 'cr-me-br'
 */
export function teamBotFeatureName(title: string, fileName: string, firstGoal?: string): string {
  return nameBy(title, fileName, firstGoal, teamBotWords) ?? 'feature';
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
