// Parsed YAML and JSON are `unknown` until looked at: these narrow one step at a time, so a malformed
// file is a reported problem rather than a crash.

export type Obj = Record<string, unknown>;

export function asObj(value: unknown): Obj | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : undefined;
}

export function asArr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asStr(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A string or a number as text (ports, quantities), else undefined. */
export function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** Follows a path of keys through nested objects. */
export function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    const o = asObj(current);
    if (o === undefined) return undefined;
    current = o[key];
  }
  return current;
}

export function strMap(value: unknown): Record<string, string> {
  const o = asObj(value) ?? {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) {
    const text = asText(v);
    if (text !== undefined) out[k] = text;
  }
  return out;
}
