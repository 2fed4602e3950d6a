import { isDeepStrictEqual } from 'node:util';
import { isMap, parseDocument, type YAMLMap } from 'yaml';

/** Where stages.yaml was edited and what it now says there, for init to report. */
export interface AcceptanceCommandEdit {
  readonly text: string;
  /** The acceptance-test stage given the command. */
  readonly stage: string;
}

// The built-in stages.yaml offers the field as a commented-out line; filling that line keeps the file's layout.
const COMMENTED_FIELD = /^([ \t]*)#[ \t]*acceptance_test_command:.*$/m;
const PLAIN_WORD = /^[A-Za-z_][\w/-]*$/;
const YAML_KEYWORD = /^(?:true|false|yes|no|on|off|null|y|n)$/i;

/** `[npm, test]`; anything a YAML reader could take for another type or for syntax is quoted. */
function flowList(argv: readonly string[]): string {
  return `[${argv.map((arg) => (PLAIN_WORD.test(arg) && !YAML_KEYWORD.test(arg) ? arg : JSON.stringify(arg))).join(', ')}]`;
}

/** The stages' values as plain data, with the acceptance command of `stage` left out. */
function withoutCommand(text: string, stage: string): unknown {
  const data = parseDocument(text).toJS() as { stages?: Record<string, Record<string, unknown>> };
  const stages = { ...data.stages };
  const { acceptance_test_command: _ignored, ...rest } = stages[stage] ?? {};
  return { ...data, stages: { ...stages, [stage]: rest } };
}

/** The one acceptance-test stage's id and map node, when there is exactly one. */
function acceptanceStage(text: string): { id: string; node: YAMLMap } | undefined {
  const stages = parseDocument(text).get('stages');
  if (!isMap(stages)) return undefined;
  const found = stages.items.flatMap((pair) => {
    const id = (pair.key as { value?: unknown } | null)?.value;
    return isMap(pair.value) && pair.value.get('is_acceptance_test_stage') === true && typeof id === 'string'
      ? [{ id, node: pair.value }] : [];
  });
  return found.length === 1 ? found[0] : undefined;
}

/**
 * stages.yaml's text with `acceptance_test_command: <argv>` set on its acceptance-test stage,
 * edited as text so every comment and blank line stays: the stage's commented-out
 * `# acceptance_test_command:` line is filled in, or a line is added after
 * `is_acceptance_test_stage: true`. Undefined when the file has no single acceptance-test stage,
 * that stage already has a command, or the edit would change anything else (checked by
 * reading the result back).
 *
 * @example
 * withAcceptanceTestCommand(builtInStagesYaml, ['npm', 'test'], 'found by teambot init in package.json')
 * // { stage: 'ACCEPTANCE_TEST', text: '…\n    acceptance_test_command: [npm, test]   # found by teambot init in package.json; …' }
 */
export function withAcceptanceTestCommand(text: string, argv: readonly string[], origin: string): AcceptanceCommandEdit | undefined {
  const stage = acceptanceStage(text);
  if (!stage || stage.node.has('acceptance_test_command') || !stage.node.range) return undefined;
  const [start, end] = stage.node.range;
  const body = text.slice(start, end);
  const field = `acceptance_test_command: ${flowList(argv)}   # ${origin}; teambot runs this argv (no shell) to decide the results`;

  let edited: string;
  const commented = COMMENTED_FIELD.exec(body);
  if (commented) {
    const at = start + commented.index;
    edited = `${text.slice(0, at)}${commented[1]}${field}${text.slice(at + commented[0].length)}`;
  } else {
    const key = stage.node.items.find((pair) => (pair.key as { value?: unknown }).value === 'is_acceptance_test_stage');
    const keyStart = (key?.key as { range?: [number, number, number] } | undefined)?.range?.[0];
    if (keyStart === undefined) return undefined;
    const lineStart = text.lastIndexOf('\n', keyStart) + 1;
    const indent = text.slice(lineStart, keyStart);
    if (indent.trim() !== '') return undefined;
    const lineEnd = text.indexOf('\n', keyStart);
    if (lineEnd < 0) return undefined;
    edited = `${text.slice(0, lineEnd + 1)}${indent}${field}\n${text.slice(lineEnd + 1)}`;
  }

  const result = parseDocument(edited);
  if (result.errors.length > 0) return undefined;
  const written = result.getIn(['stages', stage.id, 'acceptance_test_command']);
  const command = (written as { toJSON?: () => unknown } | undefined)?.toJSON?.() ?? written;
  if (!isDeepStrictEqual(command, [...argv])) return undefined;
  if (!isDeepStrictEqual(withoutCommand(edited, stage.id), withoutCommand(text, stage.id))) return undefined;
  return { text: edited, stage: stage.id };
}
