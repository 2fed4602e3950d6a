/** A placeholder of the objective template and what the author should write in its place. */
export interface ObjectivePlaceholder {
  readonly text: string;
  readonly replaceWith: string;
}

/**
 * The placeholders in the objective `teambot init` writes (config/objectives/example.md). Each
 * stands where the author must write something; an objective that still contains one has not
 * been edited there, so running it would spend a paid run on template text.
 *
 * Kept exact, not a pattern such as `<…>`: real objectives mention `<agent-id>` or `<pos>` in
 * command syntax, and those are the author's words, not ours.
 */
export const OBJECTIVE_PLACEHOLDERS: readonly ObjectivePlaceholder[] = [
  { text: '<short title>', replaceWith: 'a few words naming the feature, e.g. "Export reports as CSV"' },
  { text: '<goal>', replaceWith: 'one outcome the feature should achieve, from the user\'s point of view' },
  { text: '<criterion>', replaceWith: 'a checkable condition that proves a goal is met' },
  { text: '<constraint>', replaceWith: 'a limit the team must respect, or delete the line' },
  { text: '<where the code lives and how it is built and tested>', replaceWith: 'the files involved and the project\'s build and test commands' },
];
