import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** What the embedded runtime needs from a StateFun module.yaml. */
export interface ModuleConfig {
  endpoints: { functions: string; urlPathTemplate: string; maxNumBatchRequests: number }[];
  ingresses: { id: string; topic: string; valueType: string; targets: string[] }[];
  kafkaEgresses: string[];
}

/** The module.yaml in the repository: the one the real stack deploys. */
export const defaultModulePath = path.resolve(__dirname, '../../../statefun/module.yaml');

type Doc = { kind?: unknown; spec?: Record<string, unknown> };

function str(value: unknown, where: string): string {
  if (typeof value !== 'string' || value === '') throw new Error(`module.yaml: ${where} must be a string`);
  return value;
}

export function parseModule(text: string): ModuleConfig {
  const config: ModuleConfig = { endpoints: [], ingresses: [], kafkaEgresses: [] };
  for (const document of parseAllDocuments(text)) {
    const [error] = document.errors;
    if (error) throw new Error(`module.yaml: ${error.message}`);
    const doc = document.toJS() as Doc | null;
    if (!doc) continue;
    const spec = doc.spec ?? {};
    switch (doc.kind) {
      case 'io.statefun.endpoints.v2/http':
        config.endpoints.push({
          functions: str(spec.functions, 'endpoint functions'),
          urlPathTemplate: str(spec.urlPathTemplate, 'endpoint urlPathTemplate'),
          maxNumBatchRequests: typeof spec.maxNumBatchRequests === 'number' ? spec.maxNumBatchRequests : 1000,
        });
        break;
      case 'io.statefun.kafka.v1/ingress': {
        const id = str(spec.id, 'ingress id');
        const topics = Array.isArray(spec.topics) ? (spec.topics as Record<string, unknown>[]) : [];
        for (const topic of topics) {
          const targets = Array.isArray(topic.targets)
            ? topic.targets.map((t) => str(t, `${id} target`))
            : [];
          config.ingresses.push({
            id,
            topic: str(topic.topic, `${id} topic`),
            valueType: str(topic.valueType, `${id} valueType`),
            targets,
          });
        }
        break;
      }
      case 'io.statefun.kafka.v1/egress':
        config.kafkaEgresses.push(str(spec.id, 'egress id'));
        break;
      default:
        throw new Error(`module.yaml: unsupported kind ${String(doc.kind)}`);
    }
  }
  return config;
}

export function loadModule(file: string = defaultModulePath): ModuleConfig {
  return parseModule(fs.readFileSync(file, 'utf8'));
}

/** The endpoint serving a function type, by StateFun's rule: an exact typename, or `namespace/*`. */
export function endpointFor(
  config: ModuleConfig,
  typename: string,
): ModuleConfig['endpoints'][number] | undefined {
  const namespace = typename.slice(0, typename.indexOf('/'));
  return config.endpoints.find((e) => e.functions === typename || e.functions === `${namespace}/*`);
}
