import { readModule } from './module-yaml';
import { checkModuleAddresses, checkOverlayReferences, externalSecrets, hostPort } from './references';
import { composeService, container, deployment, files, messages, object, overlay, service } from './testing';

const hpa = (target: string) =>
  object(
    'HorizontalPodAutoscaler',
    'gateway',
    { spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target } } },
    'autoscaling/v2',
  );
const pdb = (app: string) =>
  object('PodDisruptionBudget', 'gateway', { spec: { selector: { matchLabels: { app } } } }, 'policy/v1');
const ingress = (name: string, port: unknown) =>
  object(
    'Ingress',
    'shop',
    {
      spec: {
        rules: [
          { http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port } } }] } },
        ],
      },
    },
    'networking.k8s.io/v1',
  );

describe('validate-deploy > references', () => {
  it('passes a Service, HPA, PDB and Ingress that all find their targets', () => {
    const good = overlay([
      deployment('gateway'),
      service('gateway', { app: 'gateway' }),
      hpa('gateway'),
      pdb('gateway'),
      ingress('gateway', { name: 'http' }),
    ]);
    expect(checkOverlayReferences(good)).toEqual([]);
  });

  it('catches selectors that match nothing, a wrong targetPort, and names of objects not built', () => {
    const bad = overlay([
      deployment('gateway'),
      service('gateway', { app: 'gatway' }),
      service('gateway-2', { app: 'gateway' }, [{ port: 80, targetPort: 8080 }]),
      hpa('gatway'),
      pdb('nothing'),
      ingress('gateway', { number: 80 }),
      ingress('missing', { number: 80 }),
      deployment('reader', undefined, {
        serviceAccountName: 'reader',
        volumes: [{ name: 'conf', configMap: { name: 'absent' } }],
      }),
    ]);
    expect(messages(checkOverlayReferences(bad))).toEqual([
      'selects {"app":"gatway"}, which matches no workload\'s pods',
      'targetPort 8080 is no port of the pods it selects',
      'scaleTargetRef names Deployment gatway, which the overlay does not build',
      'selects {"app":"nothing"}, which matches no workload\'s pods',
      'routes to port 80 of Service gateway, which it does not expose',
      'routes to Service missing, which the overlay does not build',
      'serviceAccountName names ServiceAccount reader, which the overlay does not build',
      'volume conf names ConfigMap absent, which the overlay does not build',
    ]);
  });

  it('reads host and port from a Kafka address and an endpoint URL', () => {
    expect(hostPort('kafka:9092')).toEqual({ host: 'kafka', port: 9092 });
    expect(hostPort('http://functions.shop.svc:8001/statefun')).toEqual({
      host: 'functions.shop.svc',
      port: 8001,
    });
    expect(hostPort('functions')).toBeUndefined();
  });

  it("checks module.yaml's addresses against every overlay's Services and compose's services", () => {
    const { facts } = readModule([
      { kind: 'io.statefun.kafka.v1/ingress', spec: { id: 'shop/users', address: 'kafka:9092', topics: [] } },
      { kind: 'io.statefun.kafka.v1/egress', spec: { id: 'shop/replies', address: '127.0.0.1:9092' } },
      {
        kind: 'io.statefun.endpoints.v2/http',
        spec: { functions: 'shop/*', urlPathTemplate: 'http://functions:8001/statefun' },
      },
    ]);
    const deploy = files({
      overlays: [
        overlay([
          service('kafka', {}, [{ name: 'client', port: 9092 }]),
          service('functions', {}, [{ port: 80 }]),
        ]),
      ],
      compose: { file: 'docker-compose.yml', services: [composeService('kafka')] },
    });
    expect(messages(checkModuleAddresses(facts, 'statefun/module.yaml', deploy))).toEqual([
      expect.stringContaining('address 127.0.0.1:9092 is loopback'),
      'http://functions:8001/statefun: Service functions in k8s/overlays/test does not expose port 8001',
      'http://functions:8001/statefun: docker-compose.yml has no service functions',
    ]);
  });
});

describe('validate-deploy > references > operators and outside Secrets', () => {
  const externalName = (target: string) =>
    object('Service', 'kafka', {
      spec: { type: 'ExternalName', externalName: target, ports: [{ port: 9092 }] },
    });
  const strimzi = object('Kafka', 'shop', { spec: {} }, 'kafka.strimzi.io/v1beta2');

  it("accepts an ExternalName to a Service Strimzi makes for the overlay's Kafka, or one outside the cluster", () => {
    expect(
      checkOverlayReferences(overlay([strimzi, externalName('shop-kafka-bootstrap.shop.svc.cluster.local')])),
    ).toEqual([]);
    expect(checkOverlayReferences(overlay([externalName('kafka.example.com')]))).toEqual([]);
  });

  it('catches an ExternalName to a Service nothing creates', () => {
    expect(
      messages(
        checkOverlayReferences(
          overlay([strimzi, externalName('other-kafka-bootstrap.shop.svc.cluster.local')]),
        ),
      ),
    ).toEqual([expect.stringContaining('neither the overlay nor an operator resource of it creates')]);
  });

  it('lists the Secrets workloads and Ingresses read but the overlay does not build', () => {
    const reader = deployment('gateway', [
      container({
        env: [{ name: 'S3', valueFrom: { secretKeyRef: { name: 'statefun-s3', key: 'k' } } }],
        envFrom: [{ secretRef: { name: 'built' } }],
      }),
    ]);
    const tls = object(
      'Ingress',
      'shop',
      { spec: { tls: [{ secretName: 'shop-tls' }] } },
      'networking.k8s.io/v1',
    );
    expect(externalSecrets(overlay([reader, tls, object('Secret', 'built', { data: {} })]))).toEqual([
      'shop-tls',
      'statefun-s3',
    ]);
  });
});
