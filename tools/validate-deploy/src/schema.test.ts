import { schemaProblems } from './schema';
import { deployment, object } from './testing';

describe('validate-deploy > k8s schemas', () => {
  it('passes a valid Deployment and skips kinds it has no schema for', () => {
    expect(schemaProblems(deployment('gateway'))).toEqual([]);
    expect(
      schemaProblems(object('Kafka', 'kafka', { spec: {} }, 'kafka.strimzi.io/v1beta2')),
    ).toBeUndefined();
  });

  it('catches a wrong type and a missing required field', () => {
    const bad = deployment('gateway');
    const spec = bad.raw.spec as {
      selector?: unknown;
      template: { spec: { containers: { ports: { containerPort: unknown }[] }[] } };
    };
    delete spec.selector;
    spec.template.spec.containers[0].ports[0].containerPort = '8000';
    expect(schemaProblems(bad)).toEqual([
      '/spec must have required property selector',
      '/spec/template/spec/containers/0/ports/0/containerPort must be integer',
    ]);
  });
});
