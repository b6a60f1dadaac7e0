import { checkModule, covers, readModule, readTopicsFile, type CodeTopology } from './module-yaml';
import { messages } from './testing';
import { parseDocuments } from './yaml-docs';

const code: CodeTopology = {
  topics: ['shop-users', 'shop-http-in', 'shop-egress'],
  egressTopics: ['shop-egress'],
  replyEgresses: ['shop/replies'],
  served: ['shop/user', 'egress/*', 'example/greeter'],
};

const endpoint = (functions: string) => `kind: io.statefun.endpoints.v2/http
spec:
  functions: ${functions}
  urlPathTemplate: http://functions:8001/statefun`;
const ingress = (id: string, topic: string, target: string) => `kind: io.statefun.kafka.v1/ingress
spec:
  id: ${id}
  address: kafka:9092
  topics:
    - topic: ${topic}
      valueType: shop.types/X
      targets:
        - ${target}`;
const egress = (id: string) => `kind: io.statefun.kafka.v1/egress
spec:
  id: ${id}
  address: kafka:9092`;

const GOOD = [
  endpoint('shop/*'),
  endpoint('egress/*'),
  endpoint('example/*'),
  ingress('shop/users', 'shop-users', 'shop/user'),
  ingress('shop/http-in', 'shop-http-in', 'egress/httpout'),
  egress('shop/replies'),
];

function check(docs: string[], topics = 'shop-users\n# the HTTP ingress\nshop-http-in\n\nshop-egress\n') {
  const { facts, errors } = readModule(parseDocuments(docs.join('\n---\n')).docs);
  return [
    ...errors,
    ...messages(
      checkModule(facts, code, { module: 'module.yaml', topics: 'topics.txt' }, readTopicsFile(topics)),
    ),
  ];
}

describe('validate-deploy > module.yaml', () => {
  it('matches function-type patterns as StateFun does', () => {
    expect(covers('shop/*', 'shop/user')).toBe(true);
    expect(covers('egress/*', 'egress/*')).toBe(true);
    expect(covers('shop/user', 'shop/item')).toBe(false);
  });

  it('passes a module that routes exactly what the code sends', () => {
    expect(check(GOOD)).toEqual([]);
  });

  it('catches a missing ingress, a stray topic and a reply-topic loop', () => {
    const docs = [
      ...GOOD.slice(0, 3),
      ingress('a', 'shop-user', 'shop/user'),
      ingress('b', 'shop-egress', 'shop/user'),
      ingress('h', 'shop-http-in', 'egress/httpout'),
      egress('shop/replies'),
    ];
    expect(check(docs)).toEqual([
      expect.stringContaining("reads shop-user, which is not one of protos' Topics"),
      expect.stringContaining('reads shop-egress, the reply topic'),
      'no ingress reads shop-users, which the gateway publishes to',
    ]);
  });

  it('catches a target no function serves, a served function no endpoint covers, and a wrong egress', () => {
    const docs = [
      endpoint('shop/*'),
      endpoint('egress/*'),
      ingress('shop/users', 'shop-users', 'shop/usr'),
      ingress('h', 'shop-http-in', 'egress/httpout'),
      egress('shop/reply'),
    ];
    expect(check(docs)).toEqual([
      expect.stringContaining('targets shop/usr, which the functions server does not serve'),
      'no endpoint serves example/greeter: StateFun could not call it',
      expect.stringContaining('has no Kafka egress shop/replies'),
      'egress shop/reply is one the functions never name',
    ]);
  });

  it('catches an unknown document kind', () => {
    expect(check([...GOOD, 'kind: io.statefun.kafka.v2/ingress\nspec: {}'])).toEqual([
      expect.stringContaining('has kind io.statefun.kafka.v2/ingress'),
    ]);
  });

  it('checks topics.txt against the code: missing, extra and doubled names', () => {
    expect(check(GOOD, 'shop-users\nshop-users\nshop-orders\nshop-egress\n')).toEqual([
      'lists shop-users twice',
      "lists shop-orders, which is not one of protos' Topics",
      "lacks shop-http-in, one of protos' Topics",
    ]);
  });
});
