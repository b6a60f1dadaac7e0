import { parseAllDocuments } from 'yaml';

export interface ParsedDocuments {
  /** Every non-empty document, in order. */
  docs: unknown[];
  errors: string[];
}

/** A multi-document YAML stream (module.yaml, kustomize output), with every syntax error it has. */
export function parseDocuments(text: string): ParsedDocuments {
  const docs: unknown[] = [];
  const errors: string[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      errors.push(...doc.errors.map((e) => e.message));
      continue;
    }
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value !== null && value !== undefined) docs.push(value);
  }
  return { docs, errors };
}
