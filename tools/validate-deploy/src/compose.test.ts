import { parse } from 'yaml';
import { composeServices } from './compose';

describe('validate-deploy > compose model', () => {
  it('tells a stated depends_on condition from the short form, through merge keys', () => {
    const written: unknown = parse(
      `x-base: &base
  depends_on:
    kafka:
      condition: service_healthy
services:
  a:
    <<: *base
  b:
    depends_on: [kafka]
`,
      { merge: true },
    );
    const normalized = {
      services: {
        a: { depends_on: { kafka: { condition: 'service_healthy' } }, restart: 'no' },
        b: {
          depends_on: { kafka: { condition: 'service_started' } },
          healthcheck: { test: ['NONE'] },
          volumes: [{ type: 'bind', source: '/repo/statefun/module.yaml', target: '/m.yaml' }],
        },
      },
    };
    const [a, b] = composeServices(normalized, written);
    expect(a).toMatchObject({
      oneShot: true,
      dependsOn: [{ service: 'kafka', condition: 'service_healthy', stated: true }],
    });
    expect(b).toMatchObject({
      oneShot: false,
      healthcheck: false,
      dependsOn: [{ service: 'kafka', condition: 'service_started', stated: false }],
      binds: [{ source: '/repo/statefun/module.yaml', target: '/m.yaml' }],
    });
  });
});
