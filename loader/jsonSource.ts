import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { type InputIssue, wholeFileIssue } from './inputIssue.js';
import { checkIsConfigText, positionAt, type DataPath, type SourceDocument } from './sourceDocument.js';

/** Far deeper than any configuration or state file, far shallower than the parser's stack allows. */
const MAX_JSON_NESTING = 1000;

/** The deepest nesting of arrays and objects, brackets inside strings not counted. */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index++;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (char === '[' || char === '{') {
      deepest = Math.max(deepest, ++depth);
    } else if (char === ']' || char === '}') {
      depth--;
    }
  }
  return deepest;
}

/**
 * Parses strict JSON keeping source positions (jsonc-parser gives offsets that
 * JSON.parse does not). Comments, trailing commas and duplicate keys are issues.
 */
export function parseJsonSource(file: string, text: string, options: { maxBytes?: number } = {}): SourceDocument {
  const notText = checkIsConfigText(file, text, options.maxBytes);
  if (notText) return { file, value: undefined, syntaxIssues: [notText], locate: () => ({ line: 1, column: 1 }) };

  const body = text.replace(/^\uFEFF/, '');
  const offsetShift = text.length - body.length;
  // The parser recurses once per level: refuse deep nesting by a fixed limit, not by whatever
  // stack the process happens to have (the answer must not depend on how teambot was started).
  if (nestingDepth(body) > MAX_JSON_NESTING) {
    return {
      file, value: undefined, locate: () => ({ line: 1, column: 1 }),
      syntaxIssues: [wholeFileIssue({
        file, rule: 'json-syntax', message: `the JSON is nested more than ${MAX_JSON_NESTING} levels deep`,
        fix: 'flatten the structure; a configuration or state file is a few levels deep',
      })],
    };
  }
  const errors: ParseError[] = [];
  const root: Node | undefined = parseTree(body, errors, { disallowComments: true, allowTrailingComma: false });
  const at = (offset: number) => positionAt(text, offset + offsetShift);

  const syntaxIssues: InputIssue[] = errors.map(({ error, offset }) => ({
    file,
    ...at(offset),
    rule: 'json-syntax',
    message: `invalid JSON: ${describeJsonError(printParseErrorCode(error))}`,
    fix: 'fix the JSON at this position (strict JSON: double quotes, no comments, no trailing commas)',
  }));
  if (root) syntaxIssues.push(...duplicateKeyIssues(root, file, at));
  if (body.trim() === '') {
    syntaxIssues.splice(0, syntaxIssues.length, {
      file, line: 1, column: 1, rule: 'json-syntax', message: 'the file is empty',
      fix: 'write a JSON object, e.g. { "agents": [] }',
    });
  }

  let value: unknown;
  if (errors.length === 0) {
    try {
      value = JSON.parse(body);
    } catch {
      value = undefined;
    }
  }

  return {
    file,
    value,
    syntaxIssues,
    locate(path, options = {}) {
      if (!root) return { line: 1, column: 1 };
      for (let depth = path.length; depth >= 0; depth--) {
        const node = nodeAt(root, path.slice(0, depth));
        if (!node) continue;
        const keyNode = options.key && node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
        return at((keyNode ?? node).offset);
      }
      return at(root.offset);
    },
  };
}

/**
 * The node at a path, like jsonc's findNodeAtLocation but through a key index
 * per object, built once: a state file with 20,000 issues is located in linear time.
 */
function nodeAt(root: Node, path: DataPath): Node | undefined {
  let node: Node | undefined = root;
  for (const segment of path) {
    if (node.type === 'object') node = propertyIndex(node).get(String(segment));
    else if (node.type === 'array' && typeof segment === 'number') node = node.children?.[segment];
    else return undefined;
    if (!node) return undefined;
  }
  return node;
}

const propertyIndexes = new WeakMap<Node, Map<string, Node>>();
/** An object node's values by key; the first of duplicate keys wins, as in findNodeAtLocation. */
function propertyIndex(object: Node): Map<string, Node> {
  let index = propertyIndexes.get(object);
  if (!index) {
    index = new Map();
    for (const property of object.children ?? []) {
      const [key, value] = property.children ?? [];
      if (key && value && !index.has(String(key.value))) index.set(String(key.value), value);
    }
    propertyIndexes.set(object, index);
  }
  return index;
}

function describeJsonError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function duplicateKeyIssues(node: Node, file: string, at: (offset: number) => { line: number; column: number }): InputIssue[] {
  const issues: InputIssue[] = [];
  if (node.type === 'object') {
    const firstSeen = new Map<string, number>();
    for (const property of node.children ?? []) {
      const key = property.children?.[0];
      if (!key) continue;
      const name = String(key.value);
      const first = firstSeen.get(name);
      if (first === undefined) {
        firstSeen.set(name, key.offset);
      } else {
        issues.push({
          file, ...at(key.offset), rule: 'duplicate-key',
          message: `duplicate key "${name}": first defined on line ${at(first).line}`,
          fix: 'keep one of the two entries; JSON parsers silently use only the last one',
        });
      }
    }
  }
  for (const child of node.children ?? []) issues.push(...duplicateKeyIssues(child, file, at));
  return issues;
}
