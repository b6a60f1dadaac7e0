import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { asArr, asObj, asStr, at, type Obj } from './data';
import type { K8sObject } from './k8s';

// A CustomResourceDefinition's openAPIV3Schema as a JSON-schema validator, with the API server's reading of
// it: an object schema that lists its properties prunes every other field (a structural schema), and
// `kubectl apply` validates strictly, refusing them. So an unknown field (a typo: `paralelism`) is a
// problem here, unless the schema keeps unknown fields (x-kubernetes-preserve-unknown-fields) or
// describes them (additionalProperties).

/** Required fields the schema does not list but the custom resource's operator enforces, by schema path. */
export type ExtraRequired = Readonly<Record<string, readonly string[]>>;

export interface CrdValidator {
  /** `group/version` and kind this validator checks. */
  apiVersion: string;
  kind: string;
  validate(o: K8sObject): string[];
}

/** Vendor keywords the CRD schemas carry: known to ajv so they are not mistaken for typos in the schema. */
const KUBERNETES_KEYWORDS = [
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
];

/** A copy of `schema` in which every object schema with properties refuses fields it does not list. */
export function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  const o = asObj(schema);
  if (o === undefined) return schema;
  const closed: Obj = {};
  for (const [key, value] of Object.entries(o)) {
    // `properties` maps field names to schemas: recurse into the schemas, never treat names as keywords.
    closed[key] =
      key === 'properties'
        ? Object.fromEntries(Object.entries(asObj(value) ?? {}).map(([k, v]) => [k, closeObjects(v)]))
        : closeObjects(value);
  }
  if (
    asObj(o.properties) !== undefined &&
    o.additionalProperties === undefined &&
    o['x-kubernetes-preserve-unknown-fields'] !== true
  )
    closed.additionalProperties = false;
  return closed;
}

/** Adds `required` lists at schema paths given as dotted property names ('' is the root, 'spec.job' ...). */
function withRequired(schema: Obj, extra: ExtraRequired): Obj {
  for (const [path, fields] of Object.entries(extra)) {
    let node: Obj | undefined = schema;
    for (const name of path === '' ? [] : path.split('.')) node = asObj(at(node, 'properties', name));
    if (node === undefined) throw new Error(`the CRD schema has no ${path}`);
    node.required = [...new Set([...asArr(node.required).map(String), ...fields])];
  }
  return schema;
}

function describe(error: ErrorObject): string {
  const where = error.instancePath || '/';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `${where} has unknown field ${String(params.additionalProperty)}`;
    case 'enum':
      return `${where} must be one of ${asArr(params.allowedValues).map(String).join(', ')}`;
    case 'required':
      return `${where} must have required property ${String(params.missingProperty)}`;
    case 'anyOf':
      return `${where} must be an integer or a string`;
    default:
      return `${where} ${error.message ?? error.keyword}`;
  }
}

/**
 * A validator for each served version of a CRD (apiextensions.k8s.io/v1). The root also allows apiVersion,
 * kind and metadata, which the API server adds to every schema.
 */
export function crdValidators(crd: unknown, extraRequired: ExtraRequired = {}): CrdValidator[] {
  const group = asStr(at(crd, 'spec', 'group'));
  const kind = asStr(at(crd, 'spec', 'names', 'kind'));
  if (asStr(at(crd, 'apiVersion')) !== 'apiextensions.k8s.io/v1' || !group || !kind)
    throw new Error('not an apiextensions.k8s.io/v1 CustomResourceDefinition with a group and a kind');
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addVocabulary(KUBERNETES_KEYWORDS);
  return asArr(at(crd, 'spec', 'versions'))
    .filter((v) => at(v, 'served') === true)
    .map((v) => {
      const name = asStr(at(v, 'name')) ?? '';
      const open = asObj(at(v, 'schema', 'openAPIV3Schema'));
      if (open === undefined) throw new Error(`version ${name} has no openAPIV3Schema`);
      const schema = withRequired(closeObjects(open) as Obj, extraRequired);
      schema.properties = {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { type: 'object' },
        ...(asObj(schema.properties) ?? {}),
      };
      const check: ValidateFunction = ajv.compile(schema);
      return {
        apiVersion: `${group}/${name}`,
        kind,
        validate(o: K8sObject): string[] {
          if (check(o.raw)) return [];
          const errors = check.errors ?? [];
          // An int-or-string field that is neither reports each branch too: keep the anyOf's one line.
          return errors.filter((e) => !e.schemaPath.includes('/anyOf/')).map(describe);
        },
      };
    });
}
