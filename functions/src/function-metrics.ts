import { Counter, LATENCY_BUCKETS, SeriesHistogram, type Logger, type Registry } from '@shop/observability';
import type { BatchObservation } from '@shop/statefun';
import type { CheckoutOutcome } from './order/checkout-outcome';
import type { FunctionEvents } from './telemetry';

export const CHECKOUT_OUTCOMES: readonly CheckoutOutcome[] = [
  'paid',
  'rejected_stock',
  'rejected_credit',
  'rejected_other',
  'rolled_back',
];

/** The functions' metrics and logs: per invocation batch, per refusal, per ended checkout. */
export interface FunctionObservers {
  batch(observation: BatchObservation): void;
  events: FunctionEvents;
}

export function functionObservers(registry: Registry, log: Logger): FunctionObservers {
  const registers = [registry];
  const labelNames = ['function_type'] as const;
  const invocations = new Counter({
    name: 'shop_function_invocations_total',
    help: 'Messages handled by the functions, by function type',
    labelNames,
    registers,
  });
  const batchSize = new SeriesHistogram({
    name: 'shop_function_batch_size',
    help: 'Messages per invocation request, by function type',
    labelNames,
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
    registers,
  });
  const duration = new SeriesHistogram({
    name: 'shop_function_handler_duration_seconds',
    help: 'Handling one invocation batch, by function type',
    labelNames,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const handshakes = new Counter({
    name: 'shop_function_state_handshakes_total',
    help: 'Invocations answered "state missing" (IncompleteInvocationContext), which the runtime sends again',
    labelNames,
    registers,
  });
  const checkouts = new Counter({
    name: 'shop_checkout_outcomes_total',
    help: 'Checkout sagas ended, by result',
    labelNames: ['result'],
    registers,
  });
  // Every result at 0 from the start, so that a rate over any of them has a series to work on.
  for (const result of CHECKOUT_OUTCOMES) checkouts.inc({ result }, 0);

  return {
    batch({ functionType, target, size, seconds, incomplete }) {
      const labels = { function_type: functionType };
      if (incomplete) {
        handshakes.inc(labels);
      } else {
        invocations.inc(labels, size);
        batchSize.series(functionType).observe(size);
        duration.series(functionType).observe(seconds);
      }
      log.debug(
        {
          function_type: functionType,
          id: target.id,
          size,
          duration_ms: Math.round(seconds * 1e6) / 1e3,
          state_missing: incomplete,
        },
        'invocation batch',
      );
    },
    events: {
      refused(functionType, id, correlationId, code, message) {
        log.info(
          { correlation_id: correlationId, function_type: functionType, id, code, reason: message },
          'refused',
        );
      },
      checkoutEnded(orderId, { outcome, correlationId, reason }) {
        checkouts.inc({ result: outcome });
        log.info(
          {
            correlation_id: correlationId,
            order_id: orderId,
            result: outcome,
            code: reason?.code,
            reason: reason?.message,
          },
          outcome === 'paid'
            ? 'checkout paid'
            : outcome === 'rolled_back'
              ? 'checkout rolled back'
              : 'checkout rejected',
        );
      },
    },
  };
}
