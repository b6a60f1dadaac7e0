import { KafkaProducerRecordCodec, addressOf, type EgressMessage } from '@shop/protos';
import type { Broker, Subscription } from '@shop/broker';
import { Dispatcher, type FunctionCaller } from './dispatcher';
import { endpointFor, type ModuleConfig } from './module-config';

/** The part of the system that runs the functions: Flink StateFun in the real stack, this class in embedded mode. */
export interface Runtime {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface EmbeddedRuntimeOptions {
  module: ModuleConfig;
  broker: Broker;
  call: FunctionCaller;
  onError?: (message: string, error: unknown) => void;
}

/** Consumes the ingress topics of module.yaml, runs the functions like StateFun, writes egress records. */
export class EmbeddedRuntime implements Runtime {
  readonly dispatcher: Dispatcher;
  private subscription: Subscription | undefined;
  private readonly kafkaEgresses: ReadonlySet<string>;

  constructor(private readonly options: EmbeddedRuntimeOptions) {
    const { module } = options;
    this.kafkaEgresses = new Set(module.kafkaEgresses);
    this.dispatcher = new Dispatcher({
      call: options.call,
      egress: (message) => this.egress(message),
      maxBatch: (typename) => endpointFor(module, typename)?.maxNumBatchRequests ?? 1000,
      onCallError: (error, target, attempt) =>
        options.onError?.(
          `call to ${target.namespace}/${target.type}/${target.id} failed (attempt ${attempt})`,
          error,
        ),
    });
  }

  async start(): Promise<void> {
    const routes = new Map(this.options.module.ingresses.map((ingress) => [ingress.topic, ingress]));
    this.subscription = await this.options.broker.subscribe('statefun', [...routes.keys()], (record) => {
      const route = routes.get(record.topic);
      if (!route) return;
      const argument = { typename: route.valueType, has_value: true, value: record.value };
      // Like StateFun's Kafka ingress: the record key is the target function's id.
      for (const target of route.targets) this.dispatcher.send(addressOf(target, record.key), argument);
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.unsubscribe();
    this.dispatcher.stop();
  }

  private egress(message: EgressMessage): void {
    const id = `${message.egress_namespace}/${message.egress_type}`;
    if (!this.kafkaEgresses.has(id)) {
      this.options.onError?.(`egress ${id} is not declared in module.yaml; message dropped`, undefined);
      return;
    }
    const record = KafkaProducerRecordCodec.decode(message.argument.value);
    void this.options.broker.publish(record.topic, record.key, record.value_bytes);
  }
}
