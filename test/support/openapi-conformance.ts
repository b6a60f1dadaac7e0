import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import request from 'supertest';
import { templateRegExp } from '@shop/service-kit';

interface SpecResponse {
  content?: Record<string, { schema?: object }>;
}
interface SpecOperation {
  operationId: string;
  responses: Record<string, SpecResponse>;
}
interface Spec {
  paths: Record<string, Record<string, SpecOperation>>;
}

/** The refusals every path may answer with outside its operations: unknown path or method, too long a URL. */
const ANY_PATH_STATUSES = new Set([404, 405, 414, 431]);

/**
 * Checks answers against the OpenAPI description the shop serves: the status must be one the matched
 * operation documents, and a JSON body must validate against that status's schema. Paths the
 * description does not have must be refused with a JSON error.
 */
export class Conformance {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: false });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly operations: { matches: RegExp; method: string; op: SpecOperation }[];
  private readonly errorBody: ValidateFunction;

  constructor(spec: Spec) {
    addFormats(this.ajv);
    this.operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ matches: templateRegExp(path), method, op })),
    );
    this.errorBody = this.ajv.compile({
      type: 'object',
      required: ['error', 'code'],
      properties: { error: { type: 'string' }, code: { type: 'string', pattern: '^SHOP_ERR_' } },
    });
  }

  /** Undefined when the answer conforms; otherwise what is wrong with it. */
  problem(
    method: string,
    path: string,
    status: number,
    contentType: string | undefined,
    body: unknown,
  ): string | undefined {
    const bare = path.split('?')[0]!;
    // HEAD is answered as GET, without a body.
    const asMethod = method === 'head' ? 'get' : method;
    const match = this.operations.find((o) => o.method === asMethod && o.matches.test(bare));
    const what = `${method.toUpperCase()} ${path} → ${status}`;
    if (method === 'head' || (method === 'options' && status === 204)) return undefined;
    if (!match) {
      if (!ANY_PATH_STATUSES.has(status)) return `${what}: no operation documents this path and method`;
      return this.errorBody(body) ? undefined : `${what}: not a JSON error body: ${JSON.stringify(body)}`;
    }
    const response = match.op.responses[String(status)];
    if (!response) {
      if (status === 414 || status === 431) return undefined;
      return `${what}: status ${status} is not documented for ${match.op.operationId}`;
    }
    const [mediaType, media] = Object.entries(response.content ?? {})[0] ?? [];
    if (!mediaType) return undefined;
    if (!contentType?.startsWith(mediaType))
      return `${what}: content type ${contentType}, documented ${mediaType}`;
    if (mediaType !== 'application/json' || !media?.schema) return undefined;
    const key = `${match.op.operationId} ${status}`;
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(media.schema);
      this.validators.set(key, validate);
    }
    if (validate(body)) return undefined;
    return `${what}: body ${JSON.stringify(body)} does not match ${match.op.operationId}'s schema: ${this.ajv.errorsText(validate.errors)}`;
  }
}

const bySpecUrl = new Map<string, Promise<Conformance>>();

/** The conformance checker of the shop at `url`, from its /openapi.json (fetched once per URL). */
export function conformanceOf(url: string): Promise<Conformance> {
  let found = bySpecUrl.get(url);
  if (!found) {
    found = request(url)
      .get('/openapi.json')
      .then((res) => {
        if (res.status !== 200) throw new Error(`GET ${url}/openapi.json answered ${res.status}`);
        return new Conformance(res.body as Spec);
      });
    bySpecUrl.set(url, found);
  }
  return found;
}
