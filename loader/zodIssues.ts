import type { z } from 'zod';
import type { InputIssue } from './inputIssue.js';
import type { DataPath, SourceDocument } from './sourceDocument.js';
import { suggestionFor } from './suggestName.js';

/** How to write a value of each JSON type, for the "fix" line of a wrong-type issue. */
const HOW_TO_WRITE: Record<string, string> = {
  boolean: 'write true or false',
  array: 'write a list: [a, b] or one "- item" per line',
  string: 'write a text value (quote it if it looks like a number or true/false)',
  number: 'write a number',
  int: 'write a whole number',
  object: 'write a mapping of "field: value" entries',
  record: 'write a mapping of "name: value" entries',
};

/**
 * Turns zod's issues into InputIssues that point at the offending line, name
 * the subject, and say how to fix it (with the nearest valid field name for typos).
 *
 * @param basePath where the parsed value sits in the document, e.g. ['stages', 'SPEC']
 * @param schema the schema that was parsed, used to list valid field names
 */
export function issuesFromZod(
  error: z.ZodError,
  context: { document: SourceDocument; basePath: DataPath; subject?: string; schema: z.ZodType },
): InputIssue[] {
  const { document, basePath, subject, schema } = context;
  const issues: InputIssue[] = [];
  for (const issue of error.issues) {
    const path = [...basePath, ...issue.path];
    // A value parsed on its own (basePath ['stage_order']) is named by where it sits, not "value".
    const field = describePath(issue.path.length > 0 ? issue.path : basePath.slice(-1));
    const base = { file: document.file, ...(subject ? { subject } : {}) };

    if (issue.code === 'unrecognized_keys') {
      const known = fieldNamesAt(schema, issue.path);
      for (const key of issue.keys) {
        issues.push({
          ...base, ...document.locate([...path, key], { key: true }),
          rule: 'unknown-field', message: `unknown field "${key}"`,
          fix: suggestionFor(key, known, 'valid fields'),
        });
      }
      continue;
    }

    const position = document.locate(path);
    if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && issue.input === undefined) {
      issues.push({
        ...base, ...document.locate(path.slice(0, -1), { key: true }), rule: 'missing-field',
        message: `missing required field "${field}"`,
        fix: issue.code === 'invalid_value'
          ? `add ${field}: (one of ${issue.values.map(String).join(', ')})`
          : `add ${field}: (${HOW_TO_WRITE[issue.expected] ?? issue.expected})`,
      });
    } else if (issue.code === 'invalid_type' && typeof issue.input === 'number') {
      // 1e400 in YAML is Infinity, `.nan` is NaN: numbers to JavaScript, nonsense as a setting.
      issues.push({
        ...base, ...position, rule: 'wrong-type',
        message: `"${field}" must be ${article(issue.expected)}, not ${describeValue(issue.input)}`,
        fix: Number.isFinite(issue.input) ? HOW_TO_WRITE[issue.expected] ?? `write ${article(issue.expected)}` : `write a finite ${issue.expected === 'int' ? 'whole number' : 'number'}`,
      });
    } else if (issue.code === 'invalid_type') {
      issues.push({
        ...base, ...position, rule: 'wrong-type',
        message: `"${field}" must be ${article(issue.expected)}, not ${describeValue(issue.input)}`,
        fix: issue.expected === 'array' && typeof issue.input === 'string'
          ? listFix(issue.input)
          : HOW_TO_WRITE[issue.expected] ?? `write ${article(issue.expected)}`,
      });
    } else if (issue.code === 'invalid_value') {
      const allowed = issue.values.map(String);
      issues.push({
        ...base, ...position, rule: 'invalid-value',
        message: `"${field}" must be one of ${allowed.join(', ')}, not ${describeValue(issue.input)}`,
        fix: suggestionFor(String(issue.input), allowed, 'allowed values'),
      });
    } else if (issue.code === 'too_small' || issue.code === 'too_big') {
      const { message, fix } = describeBound(field, issue);
      issues.push({ ...base, ...position, rule: 'out-of-range', message, fix });
    } else {
      issues.push({ ...base, ...position, rule: 'invalid-value', message: `"${field}": ${issue.message}`, fix: 'correct this value' });
    }
  }
  return issues;
}

/**
 * What a too_small/too_big issue means, in words about lists, texts or numbers.
 *
 * @example describeBound('stage_order', { code: 'too_small', origin: 'array', minimum: 1 }) // '"stage_order" must not be empty…'
 */
function describeBound(field: string, issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): { message: string; fix: string } {
  const small = issue.code === 'too_small';
  const limit = Number(small ? issue.minimum : issue.maximum);
  const given = issue.input;
  if (issue.origin === 'array' || issue.origin === 'set') {
    const has = Array.isArray(given) ? ` (it lists ${count(given.length, 'entry', 'entries')})` : '';
    if (small && limit === 1) return { message: `"${field}" must not be empty: it must list at least 1 entry`, fix: `list at least one entry in "${field}"` };
    const bound = `${small ? 'at least' : 'at most'} ${count(limit, 'entry', 'entries')}`;
    return { message: `"${field}" must list ${bound}${has}`, fix: `list ${bound} in "${field}"` };
  }
  if (issue.origin === 'string') {
    if (small && limit === 1) return { message: `"${field}" must not be empty`, fix: `write some text for "${field}", or leave the field out if it is optional` };
    const bound = `${small ? 'at least' : 'at most'} ${count(limit, 'character', 'characters')}`;
    return { message: `"${field}" must be ${bound} long`, fix: `write ${bound} for "${field}"` };
  }
  const bound = `${small ? (issue.inclusive === false ? 'more than' : 'at least') : (issue.inclusive === false ? 'less than' : 'at most')} ${limit}`;
  const not = typeof given === 'number' || typeof given === 'bigint' ? `, not ${describeValue(given).replace(/^number /, '')}` : '';
  return { message: `"${field}" must be ${bound}${not}`, fix: `change "${field}" to a value ${bound}` };
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function describePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, segment) =>
    typeof segment === 'number' ? `${text}[${segment}]` : text ? `${text}.${String(segment)}` : String(segment), '') || 'value';
}

function article(type: string): string {
  const names: Record<string, string> = { array: 'a list', object: 'a mapping', record: 'a mapping', int: 'a whole number' };
  return names[type] ?? (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN (not a number)';
  if (typeof value === 'number' && !Number.isFinite(value)) return value > 0 ? 'an infinite number' : 'a negative infinite number';
  return `${typeof value} ${String(value)}`;
}

/** The field names an object schema accepts at `path`, unwrapping optional/default/array wrappers. */
function fieldNamesAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current = unwrap(schema);
  for (const segment of path) {
    const def = current._zod.def as unknown as Record<string, unknown>;
    if (def.type === 'object' && typeof segment === 'string') current = unwrap((def.shape as Record<string, z.ZodType>)[segment]!);
    else if (def.type === 'array') current = unwrap(def.element as z.ZodType);
    else if (def.type === 'record') current = unwrap(def.valueType as z.ZodType);
    else return [];
    if (!current) return [];
  }
  const def = current._zod.def as unknown as Record<string, unknown>;
  return def.type === 'object' ? Object.keys(def.shape as object) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = current._zod.def as unknown as Record<string, unknown>;
    if (def.innerType) current = def.innerType as z.ZodType;
    else if (def.type === 'pipe') current = def.in as z.ZodType;
    else return current;
  }
}

/**
 * The list a text should have been, split at spaces: no shell ever splits it
 * (a command is run as an argv), so the user writes the elements themselves.
 *
 * @example listFix('npm test') // 'write a list, one element per argument: [npm, test]'
 */
function listFix(text: string): string {
  const parts = text.trim().split(/\s+/).filter(Boolean);
  return parts.length > 1
    ? `write a list, one element per argument (nothing is run through a shell): [${parts.join(', ')}]`
    : `write a list: [${parts[0] ?? 'a'}]`;
}
