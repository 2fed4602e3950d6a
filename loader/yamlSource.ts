import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { type InputIssue, wholeFileIssue } from './inputIssue.js';
import type { PositionTree } from './positionTree.js';
import { checkIsConfigText, type DataPath, type SourceDocument, type SourcePosition } from './sourceDocument.js';

const START: SourcePosition = { line: 1, column: 1 };

/**
 * Parses YAML text keeping source positions. Duplicate keys are reported as
 * issues but do not stop validation, so the user sees every problem at once.
 *
 * @example
 * const doc = parseYamlSource('stages.yaml', 'stages:\n  SPEC: {}\n');
 * doc.locate(['stages', 'SPEC']); // { line: 2, column: 9 }
 */
export function parseYamlSource(file: string, text: string): SourceDocument {
  const parsed = parseWithPositions(file, text);
  if (!('document' in parsed)) return unparsed(file, parsed.issues);
  const { document, at, value, syntaxIssues } = parsed;
  return {
    file,
    value,
    syntaxIssues,
    locate(path, options = {}) {
      let node: unknown = document.contents;
      let keyNode: Node | undefined;
      let found: SourcePosition = node ? nodeStart(node, at) : START;
      for (const segment of path) {
        if (isMap(node)) {
          const pair = keyIndex(node).get(String(segment));
          if (!pair) break;
          keyNode = pair.key as Node;
          node = pair.value;
          found = node ? nodeStart(node, at) : nodeStart(keyNode, at);
        } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
          keyNode = undefined;
          node = node.items[segment];
          found = nodeStart(node, at);
        } else {
          break;
        }
      }
      return options.key && keyNode ? nodeStart(keyNode, at) : found;
    },
  };
}

/**
 * The data of a YAML text and where each of its values starts, as plain JSON-able data; undefined
 * when the text has any problem. The build keeps the built-in stages.yaml this way (stagesSnapshot.ts):
 * `locateInTree` answers exactly what `parseYamlSource(…).locate` would.
 *
 * @example yamlSnapshot('a:\n  - 1\n') // { value: { a: [1] }, positions: { at: [1, 1], entries: { a: … } } }
 */
export function yamlSnapshot(text: string): { value: unknown; positions: PositionTree | undefined } | undefined {
  const parsed = parseWithPositions('', text);
  if (!('document' in parsed) || parsed.syntaxIssues.length > 0) return undefined;
  const { document, at } = parsed;
  const point = (node: unknown): [number, number] => {
    const { line, column } = nodeStart(node, at);
    return [line, column];
  };
  const tree = (node: unknown, key?: Node): PositionTree => {
    const position: PositionTree = { at: point(node ?? key), ...(key ? { key: point(key) } : {}) };
    if (isMap(node)) {
      const entries: Record<string, PositionTree> = {};
      for (const [name, pair] of keyIndex(node)) entries[name] = tree(pair.value, pair.key as Node);
      return { ...position, entries };
    }
    // An empty item is not located (parseYamlSource stops at it): null keeps the indexes.
    if (isSeq(node)) return { ...position, items: node.items.map((item) => (item ? tree(item) : null)) };
    return position;
  };
  return { value: parsed.value, positions: document.contents ? tree(document.contents) : undefined };
}

/** The parsed document, its data and its syntax issues, or the issues that left nothing to read. */
function parseWithPositions(file: string, text: string):
  | { document: Document; at: (offset: number) => SourcePosition; value: unknown; syntaxIssues: InputIssue[] }
  | { issues: InputIssue[] } {
  const notText = checkIsConfigText(file, text);
  if (notText) return { issues: [notText] };

  const lineCounter = new LineCounter();
  let document: ReturnType<typeof parseDocument>;
  try {
    // Duplicate keys are found below, in one pass: the library's own check compares every key with
    // every earlier one, which takes half a minute on a (broken) mapping of 40,000 keys.
    document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  } catch (error) {
    return { issues: [unusable(file, error)] };
  }
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };

  const syntaxIssues: InputIssue[] = [
    ...document.errors.map((error) => ({
      file,
      ...at(error.pos[0]),
      rule: 'yaml-syntax',
      message: /call stack/i.test(error.message) ? 'the document is nested too deeply to read' : firstLine(error.message),
      fix: 'fix the YAML syntax at this position (check indentation, colons and quotes)',
    })),
    ...duplicateKeyIssues(file, document, at),
  ];
  // Only duplicate keys leave a document whose data can still be validated.
  let value: unknown;
  if (document.errors.length === 0) {
    // Resolving aliases can fail (an undefined anchor, an alias bomb): that is the file's fault, not ours.
    try {
      value = document.toJS({ maxAliasCount: 1000 });
    } catch (error) {
      return { issues: [...syntaxIssues, unusable(file, error)] };
    }
  }
  return { document, at, value, syntaxIssues };
}

/**
 * `duplicate key "name": first defined on line 12` at each repeated key, in one
 * pass over every mapping (keys equal as YAML scalars: 1 and "1" differ).
 */
function duplicateKeyIssues(file: string, document: Document, at: (offset: number) => SourcePosition): InputIssue[] {
  const issues: InputIssue[] = [];
  visit(document, {
    Map(_, map) {
      const first = new Map<unknown, Node>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const earlier = first.get(pair.key.value);
        if (!earlier) {
          first.set(pair.key.value, pair.key);
          continue;
        }
        issues.push({
          file, ...nodeStart(pair.key, at), rule: 'duplicate-key',
          message: `duplicate key "${String(pair.key.value)}": first defined on line ${nodeStart(earlier, at).line}`,
          fix: 'keep one of the two entries; YAML would silently use only the last one',
        });
      }
    },
  });
  return issues;
}

/** A mapping's pairs by key text, built once per mapping: locating 40,000 issues stays linear. */
const keyIndexes = new WeakMap<YAMLMap, Map<string, Pair>>();
function keyIndex(map: YAMLMap): Map<string, Pair> {
  let index = keyIndexes.get(map);
  if (!index) {
    index = new Map();
    // The first pair wins, as it did when the pairs were searched in order.
    for (const pair of map.items) if (isScalar(pair.key) && !index.has(String(pair.key.value))) index.set(String(pair.key.value), pair as Pair);
    keyIndexes.set(map, index);
  }
  return index;
}

function nodeStart(node: unknown, at: (offset: number) => SourcePosition): SourcePosition {
  const range = (node as { range?: [number, number, number] }).range;
  return range ? at(range[0]) : START;
}

/** A document the YAML library could not turn into data: nested too deeply, aliases it refuses. */
function unusable(file: string, error: unknown): InputIssue {
  const message = error instanceof Error ? error.message : String(error);
  const deep = error instanceof RangeError;
  const aliases = /alias/i.test(message);
  return wholeFileIssue({
    file, rule: 'yaml-syntax',
    message: deep ? 'the document is nested too deeply to read'
      : aliases ? `the document's aliases cannot be resolved: ${firstLine(message)}`
        : `the document cannot be read: ${firstLine(message)}`,
    fix: deep ? 'flatten the structure; a configuration file is a few levels deep'
      : aliases ? 'define every &anchor before its *alias, and do not nest aliases to expand the document'
        : 'fix the YAML syntax',
  });
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

function unparsed(file: string, issues: InputIssue[]): SourceDocument {
  return { file, value: undefined, syntaxIssues: issues, locate: () => START };
}
