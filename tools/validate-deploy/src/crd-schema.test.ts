import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { closeObjects, crdValidators } from './crd-schema';
import type { Obj } from './data';
import { FLINK_DEPLOYMENT_REQUIRED, loadFlinkDeploymentCrd } from './operator-crd';
import { FLINK_CRD, flinkDeployment, object } from './testing';

const REPO = path.join(__dirname, '..', '..', '..');

describe('validate-deploy > CRD schemas', () => {
  const [validator] = crdValidators(FLINK_CRD, { spec: ['flinkVersion'], 'spec.job': ['jarURI'] });
  const withSpec = (change: (spec: Obj) => void) => {
    const o = flinkDeployment();
    change(o.raw.spec as Obj);
    return validator.validate(o);
  };

  it('checks the kind and version the CRD serves, and passes a valid resource', () => {
    expect([validator.apiVersion, validator.kind]).toEqual(['flink.apache.org/v1beta1', 'FlinkDeployment']);
    expect(withSpec(() => undefined)).toEqual([]);
  });

  it('names a wrong type, an unknown field, a bad enum value and a missing required field', () => {
    expect(withSpec((s) => ((s.job as Obj).parallelism = '8'))).toEqual([
      '/spec/job/parallelism must be integer',
    ]);
    expect(withSpec((s) => ((s.flinkConfiguration as Obj)['taskmanager.numberOfTaskSlots'] = 2))).toEqual([
      '/spec/flinkConfiguration/taskmanager.numberOfTaskSlots must be string',
    ]);
    expect(withSpec((s) => ((s.job as Obj).paralelism = 8))).toEqual([
      '/spec/job has unknown field paralelism',
    ]);
    expect(withSpec((s) => (s.flinkVersion = 'v9'))).toEqual([
      '/spec/flinkVersion must be one of v1_15, v1_16, v1_17',
    ]);
    expect(withSpec((s) => delete s.flinkVersion)).toEqual([
      '/spec must have required property flinkVersion',
    ]);
    expect(withSpec((s) => delete (s.job as Obj).jarURI)).toEqual([
      '/spec/job must have required property jarURI',
    ]);
  });

  it('allows what the API server allows: metadata, int-or-string, preserved unknown fields', () => {
    const template = (spec: Obj) => withSpec((s) => ((s.taskManager as Obj).podTemplate = { spec }));
    expect(template({ port: 8081 })).toEqual([]);
    expect(template({ port: 'rest' })).toEqual([]);
    expect(template({ port: true })).toEqual([
      '/spec/taskManager/podTemplate/spec/port must be an integer or a string',
    ]);
    expect(template({ extra: { anything: 1 } })).toEqual([]);
    expect(template({ extras: {} })).toEqual(['/spec/taskManager/podTemplate/spec has unknown field extras']);
    expect(
      validator.validate(object('FlinkDeployment', 'x', { spec: { flinkVersion: 'v1_16' }, stray: 1 })),
    ).toEqual(['/ has unknown field stray']);
  });

  it('closes only objects that list properties and neither keep nor describe other fields', () => {
    expect(
      closeObjects({
        type: 'object',
        properties: {
          a: { type: 'object', properties: { b: { type: 'string' } } },
          m: { type: 'object', additionalProperties: { type: 'string' } },
          p: { type: 'object', properties: {}, 'x-kubernetes-preserve-unknown-fields': true },
          // a field named like a keyword stays a field
          properties: { type: 'string' },
        },
      }),
    ).toEqual({
      type: 'object',
      additionalProperties: false,
      properties: {
        a: { type: 'object', properties: { b: { type: 'string' } }, additionalProperties: false },
        m: { type: 'object', additionalProperties: { type: 'string' } },
        p: { type: 'object', properties: {}, 'x-kubernetes-preserve-unknown-fields': true },
        properties: { type: 'string' },
      },
    });
  });

  it('refuses a document that is not a v1 CRD, and a required path the schema lacks', () => {
    expect(() => crdValidators({ apiVersion: 'v1', kind: 'ConfigMap' })).toThrow(/not an apiextensions/);
    expect(() => crdValidators(FLINK_CRD, { 'spec.nothing': ['x'] })).toThrow(
      'the CRD schema has no spec.nothing',
    );
  });

  // The operator's real CRD (fetched by Maven into .tools/crds on first use, as validate:deploy does) and
  // the production overlay's FlinkDeployment as written.
  it("passes the production FlinkDeployment against the operator's CRD, and refuses a broken copy", () => {
    const loaded = loadFlinkDeploymentCrd(REPO);
    if ('error' in loaded) throw new Error(loaded.error);
    const [real] = crdValidators(loaded.crd, FLINK_DEPLOYMENT_REQUIRED);
    const raw = parse(
      fs.readFileSync(path.join(REPO, 'k8s/overlays/production/flink-deployment.yaml'), 'utf8'),
    ) as Obj;
    const o = object('FlinkDeployment', 'statefun', raw, 'flink.apache.org/v1beta1');
    expect(real.validate(o)).toEqual([]);
    const spec = raw.spec as Obj;
    delete spec.flinkVersion;
    (spec.taskManager as Obj).replicas = 'four';
    expect(real.validate(o)).toEqual([
      '/spec must have required property flinkVersion',
      '/spec/taskManager/replicas must be integer',
    ]);
  });
});
