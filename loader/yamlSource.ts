import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import { type InputIssue, wholeFileIssue } from './inputIssue.js';
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
  const notText = checkIsConfigText(file, text);
  if (notText) return unparsed(file, [notText]);

  const lineCounter = new LineCounter();
  let document: ReturnType<typeof parseDocument>;
  try {
    document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    return unparsed(file, [unusable(file, error)]);
  }
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };

  const syntaxIssues: InputIssue[] = document.errors.map((error) => {
    const duplicate = error.code === 'DUPLICATE_KEY';
    return {
      file,
      ...at(error.pos[0]),
      rule: duplicate ? 'duplicate-key' : 'yaml-syntax',
      message: duplicate ? duplicateKeyMessage(document, error.pos[0], at)
        : /call stack/i.test(error.message) ? 'the document is nested too deeply to read' : firstLine(error.message),
      fix: duplicate
        ? 'keep one of the two entries; YAML would silently use only the last one'
        : 'fix the YAML syntax at this position (check indentation, colons and quotes)',
    };
  });
  // Only duplicate keys leave a document whose data can still be validated.
  const usable = document.errors.every((error) => error.code === 'DUPLICATE_KEY');
  let value: unknown;
  if (usable) {
    // Resolving aliases can fail (an undefined anchor, an alias bomb): that is the file's fault, not ours.
    try {
      value = document.toJS({ maxAliasCount: 1000 });
    } catch (error) {
      return unparsed(file, [...syntaxIssues, unusable(file, error)]);
    }
  }

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
          const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
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
 * `duplicate key "name": first defined on line 12`, for the key starting at
 * `offset`: the YAML library reports where the second one is, and keeps both
 * pairs in the mapping, so the first is the earlier pair with an equal key.
 */
function duplicateKeyMessage(document: Document, offset: number, at: (offset: number) => SourcePosition): string {
  let message = 'duplicate key: this key appears twice in the same mapping';
  visit(document, {
    Map(_, map) {
      const index = map.items.findIndex((pair) => (pair.key as Node | null)?.range?.[0] === offset);
      if (index < 0) return undefined;
      const key = map.items[index]!.key;
      const first = map.items.slice(0, index).find((pair) =>
        pair.key === key || (isScalar(pair.key) && isScalar(key) && pair.key.value === key.value));
      const name = isScalar(key) ? String(key.value) : String(key);
      if (first) message = `duplicate key "${name}": first defined on line ${nodeStart(first.key, at).line}`;
      return visit.BREAK;
    },
  });
  return message;
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
