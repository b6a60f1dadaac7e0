import {
  FunctionTypes,
  HttpIngress,
  HttpIngressMessageCodec,
  HttpIngressTargets,
  Topics,
} from '@shop/protos';
import { shopFunctions } from '@shop/functions';
import { endpointFor, loadModule } from './module-config';

const pairedEgress = `${HttpIngress.egressNamespace}/${HttpIngress.defaultPairedEgress}`;

describe('runtime > module.yaml', () => {
  const module = loadModule();

  it('feeds every ingress topic of the code to the function type that owns it', () => {
    const routes = Object.fromEntries(module.ingresses.map((i) => [i.topic, i.targets]));
    expect(routes).toEqual({
      [Topics.users]: [FunctionTypes.user],
      [Topics.payments]: [FunctionTypes.user],
      [Topics.stock]: [FunctionTypes.item],
      [Topics.orders]: [FunctionTypes.order],
      [Topics.batch]: [FunctionTypes.batch],
      [Topics.httpIn]: [pairedEgress],
    });
  });

  it('gives each ingress the command envelope its function decodes', () => {
    const types = Object.fromEntries(module.ingresses.map((i) => [i.topic, i.valueType]));
    expect(types[Topics.users]).toBe('shop.types/UserCommand');
    expect(types[Topics.payments]).toBe('shop.types/UserCommand');
    expect(types[Topics.stock]).toBe('shop.types/ItemCommand');
    expect(types[Topics.orders]).toBe('shop.types/OrderCommand');
    expect(types[Topics.batch]).toBe('shop.types/BatchCommand');
    expect(types[Topics.httpIn]).toBe(HttpIngressMessageCodec.typename);
  });

  it('serves every shop function from an endpoint and declares both reply egresses', () => {
    for (const fn of shopFunctions) expect(endpointFor(module, fn.typename)).toBeDefined();
    expect(module.kafkaEgresses).toEqual(['shop/replies', 'shop/read-replies']);
  });

  it('serves the paired egress and every function type the HTTP ingress may reach', () => {
    for (const typename of [pairedEgress, ...HttpIngressTargets.keys()]) {
      expect({ typename, endpoint: endpointFor(module, typename) }).toEqual({
        typename,
        endpoint: expect.anything(),
      });
    }
  });
});
