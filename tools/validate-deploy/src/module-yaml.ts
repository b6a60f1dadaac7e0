import { asArr, asStr, at } from './data';
import type { Problem } from './problem';

/** What the code says module.yaml must route: imported from @shop/protos and @shop/functions. */
export interface CodeTopology {
  /** Every topic of protos' `Topics`. */
  topics: string[];
  /** The ones the functions write replies to (no ingress reads them). */
  egressTopics: string[];
  /** `namespace/type` of every Kafka egress the functions name. */
  replyEgresses: string[];
  /** The typename of every function the functions server serves: exact, or `namespace/*`. */
  served: string[];
}

export interface ModuleFacts {
  ingresses: { id: string; address: string; topics: { topic: string; targets: string[] }[] }[];
  egresses: { id: string; address: string }[];
  endpoints: { functions: string; url: string }[];
}

export const ENDPOINT_KIND = 'io.statefun.endpoints.v2/http';
export const INGRESS_KIND = 'io.statefun.kafka.v1/ingress';
export const EGRESS_KIND = 'io.statefun.kafka.v1/egress';

/** The documents of module.yaml as routes; a document of a kind this shop does not use is a problem. */
export function readModule(docs: unknown[]): { facts: ModuleFacts; errors: string[] } {
  const facts: ModuleFacts = { ingresses: [], egresses: [], endpoints: [] };
  const errors: string[] = [];
  docs.forEach((doc, index) => {
    const kind = asStr(at(doc, 'kind'));
    const spec = at(doc, 'spec');
    if (kind === ENDPOINT_KIND) {
      facts.endpoints.push({
        functions: asStr(at(spec, 'functions')) ?? '',
        url: asStr(at(spec, 'urlPathTemplate')) ?? '',
      });
    } else if (kind === INGRESS_KIND) {
      facts.ingresses.push({
        id: asStr(at(spec, 'id')) ?? '',
        address: asStr(at(spec, 'address')) ?? '',
        topics: asArr(at(spec, 'topics')).map((t) => ({
          topic: asStr(at(t, 'topic')) ?? '',
          targets: asArr(at(t, 'targets')).map((x) => asStr(x) ?? ''),
        })),
      });
    } else if (kind === EGRESS_KIND) {
      facts.egresses.push({ id: asStr(at(spec, 'id')) ?? '', address: asStr(at(spec, 'address')) ?? '' });
    } else {
      errors.push(
        `document ${index + 1} has kind ${kind ?? '(none)'}, not one of ${ENDPOINT_KIND}, ${INGRESS_KIND}, ${EGRESS_KIND}`,
      );
    }
  });
  return { facts, errors };
}

/** Whether a function-type pattern (`shop/user`, `shop/*`) covers a typename, itself maybe a pattern. */
export function covers(pattern: string, typename: string): boolean {
  if (pattern.endsWith('/*')) return typename.startsWith(pattern.slice(0, -1));
  return pattern === typename;
}

/** The names of statefun/topics.txt: one a line, `#` comments and blank lines skipped. */
export function readTopicsFile(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '');
}

function duplicates(names: string[]): string[] {
  return [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
}

/**
 * module.yaml routes what the code sends: an ingress for every ingress topic and no other, each target a
 * function the server serves, every served function behind an endpoint, and the reply egress the
 * functions name. topics.txt lists exactly the code's topics.
 */
export function checkModule(
  facts: ModuleFacts,
  code: CodeTopology,
  files: { module: string; topics: string },
  topicsTxt: string[] | undefined,
): Problem[] {
  const problems: Problem[] = [];
  const here = (message: string, resource?: string): Problem => ({ file: files.module, resource, message });
  const ingressTopics = code.topics.filter((t) => !code.egressTopics.includes(t));
  const routed = facts.ingresses.flatMap((i) => i.topics.map((t) => ({ ...t, ingress: i.id })));
  for (const topic of duplicates(routed.map((r) => r.topic)))
    problems.push(here(`topic ${topic} is read by more than one ingress`));
  for (const r of routed) {
    const where = `ingress ${r.ingress}`;
    if (code.egressTopics.includes(r.topic))
      problems.push(here(`reads ${r.topic}, the reply topic: replies would loop back in`, where));
    else if (!ingressTopics.includes(r.topic))
      problems.push(here(`reads ${r.topic}, which is not one of protos' Topics`, where));
    if (r.targets.length === 0) problems.push(here(`topic ${r.topic} has no targets`, where));
    for (const target of r.targets) {
      if (!code.served.some((s) => covers(s, target))) {
        problems.push(
          here(
            `targets ${target}, which the functions server does not serve (it serves ${code.served.join(', ')})`,
            where,
          ),
        );
      }
    }
  }
  for (const topic of ingressTopics) {
    if (!routed.some((r) => r.topic === topic))
      problems.push(here(`no ingress reads ${topic}, which the gateway publishes to`));
  }
  for (const typename of code.served) {
    if (!facts.endpoints.some((e) => covers(e.functions, typename))) {
      problems.push(here(`no endpoint serves ${typename}: StateFun could not call it`));
    }
  }
  for (const endpoint of facts.endpoints) {
    if (!code.served.some((s) => covers(endpoint.functions, s) || covers(s, endpoint.functions))) {
      problems.push(here(`endpoint ${endpoint.functions} covers no function the server serves`));
    }
  }
  const egressIds = facts.egresses.map((e) => e.id);
  for (const egress of code.replyEgresses.filter((e) => !egressIds.includes(e))) {
    problems.push(
      here(
        `has no Kafka egress ${egress}, which the functions send replies to (has: ${egressIds.join(', ') || 'none'})`,
      ),
    );
  }
  for (const id of egressIds.filter((e) => !code.replyEgresses.includes(e)))
    problems.push(here(`egress ${id} is one the functions never name`));
  if (topicsTxt === undefined) {
    problems.push({ file: files.topics, message: 'is missing: the topic creation has no list' });
  } else {
    for (const t of duplicates(topicsTxt)) problems.push({ file: files.topics, message: `lists ${t} twice` });
    for (const t of topicsTxt.filter((x) => !code.topics.includes(x))) {
      problems.push({ file: files.topics, message: `lists ${t}, which is not one of protos' Topics` });
    }
    for (const t of code.topics.filter((x) => !topicsTxt.includes(x))) {
      problems.push({ file: files.topics, message: `lacks ${t}, one of protos' Topics` });
    }
  }
  return problems;
}
