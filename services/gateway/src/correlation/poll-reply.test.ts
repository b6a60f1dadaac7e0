import express from 'express';
import request from 'supertest';
import { Registry } from '@shop/observability';
import { gatewayMetrics } from '../gateway-metrics';
import type { CorrelationStore, PollResult } from './correlation-store';
import { pollReply } from './poll-reply';

/** A store whose poll finds `found`, whatever the ID. */
const storeFinding = (found: PollResult): CorrelationStore => ({
  park: () => Promise.resolve(undefined),
  requestOf: () => Promise.resolve(undefined),
  deliver: () => Promise.resolve(),
  poll: () => Promise.resolve(found),
  check: () => Promise.resolve(),
  close: () => Promise.resolve(),
});

describe('gateway > poll reply > metrics', () => {
  test('a poll for a lost request counts one lost reply; a pending one does not', async () => {
    const metrics = gatewayMetrics(new Registry());
    for (const found of [{ status: 'lost' }, { status: 'pending' }] as const) {
      const app = express();
      app.get('/poll', (_req, res) => {
        pollReply(storeFinding(found), 'an-id', res, metrics).catch(() => {
          res.status(410).end();
        });
      });
      await request(app).get('/poll');
    }
    expect((await metrics.lost.get()).values[0]?.value).toBe(1);
  });
});
