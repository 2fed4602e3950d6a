import { redactSecrets } from '../../../loader/secretRegistry.js';

/** How deep an inspection event is copied; deeper values are cut (as @statelyai/inspect's own serialiser does). */
const DEPTH_LIMIT = 10;

/**
 * JSON text of an XState inspection event, which may hold what JSON.stringify
 * refuses: cycles (actors and their parents), functions, bigints, and nesting
 * without end. Cycles become '[circular]', functions `{ type: name }`, values
 * nested deeper than `depthLimit` '[…]'. Its text, which holds the run's context (stage
 * outputs, errors), has every registered secret redacted, as events.jsonl and the state do.
 *
 * @example boundedJson({ a: 1, f: function go() {} }) // '{"a":1,"f":{"type":"go"}}'
 */
export function boundedJson(value: unknown, depthLimit = DEPTH_LIMIT): string {
  const ancestors = new Set<object>();
  const copy = (item: unknown, depth: number): unknown => {
    if (typeof item === 'function') return { type: item.name };
    if (typeof item === 'bigint') return item.toString();
    if (typeof item === 'string') return redactSecrets(item);
    if (item === null || typeof item !== 'object') return item;
    // An actor reference says what it is through toJSON (its id), as JSON.stringify would ask; asked once.
    const toJSON = (item as { toJSON?: unknown }).toJSON;
    const plain: unknown = typeof toJSON === 'function' ? toJSON.call(item) : item;
    if (plain === null || typeof plain !== 'object') return plain === item ? plain : copy(plain, depth);
    if (ancestors.has(plain)) return '[circular]';
    if (depth >= depthLimit) return '[…]';
    ancestors.add(plain);
    try {
      if (Array.isArray(plain)) return plain.map((element) => copy(element, depth + 1));
      const fields: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(plain)) if (field !== undefined) fields[key] = copy(field, depth + 1);
      return fields;
    } finally {
      ancestors.delete(plain);
    }
  };
  return JSON.stringify(copy(value, 0)) ?? 'null';
}
