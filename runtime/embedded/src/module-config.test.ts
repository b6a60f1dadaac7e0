import { FunctionTypes, Topics } from '@shop/protos';
import { shopFunctions } from '@shop/functions';
import { endpointFor, loadModule } from './module-config';

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
    });
  });

  it('gives each ingress the command envelope its function decodes', () => {
    const types = Object.fromEntries(module.ingresses.map((i) => [i.topic, i.valueType]));
    expect(types[Topics.users]).toBe('shop.types/UserCommand');
    expect(types[Topics.payments]).toBe('shop.types/UserCommand');
    expect(types[Topics.stock]).toBe('shop.types/ItemCommand');
    expect(types[Topics.orders]).toBe('shop.types/OrderCommand');
    expect(types[Topics.batch]).toBe('shop.types/BatchCommand');
  });

  it('serves every shop function from an endpoint and declares the reply egress', () => {
    for (const fn of shopFunctions) expect(endpointFor(module, fn.typename)).toBeDefined();
    expect(module.kafkaEgresses).toEqual(['shop/replies']);
  });
});
