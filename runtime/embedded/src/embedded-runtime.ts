import { KafkaProducerRecordCodec, addressOf, type EgressMessage } from '@shop/protos';
import type { Broker, Subscription } from '@shop/broker';
import type { Logger } from '@shop/observability';
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
  /** What it does, at info (start, stop) and debug (each ingress record and egress record). */
  log?: Logger;
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
      this.options.log?.debug(
        { topic: record.topic, key: record.key, targets: route.targets },
        'ingress record',
      );
      const argument = { typename: route.valueType, has_value: true, value: record.value };
      // Like StateFun's Kafka ingress: the record key is the target function's id.
      for (const target of route.targets) this.dispatcher.send(addressOf(target, record.key), argument);
    });
    this.options.log?.info({ ingress_topics: [...routes.keys()] }, 'embedded runtime consuming');
  }

  async stop(): Promise<void> {
    await this.subscription?.unsubscribe();
    this.dispatcher.stop();
    this.options.log?.info('embedded runtime stopped');
  }

  private egress(message: EgressMessage): void {
    const id = `${message.egress_namespace}/${message.egress_type}`;
    if (!this.kafkaEgresses.has(id)) {
      this.options.onError?.(`egress ${id} is not declared in module.yaml; message dropped`, undefined);
      return;
    }
    const record = KafkaProducerRecordCodec.decode(message.argument.value);
    this.options.log?.debug({ egress: id, topic: record.topic, key: record.key }, 'egress record');
    void this.options.broker.publish(record.topic, record.key, record.value_bytes);
  }
}
