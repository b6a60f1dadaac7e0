// A cluster worker for metrics-server.test.ts: plain JavaScript, as cluster.fork runs a file as it is.
// It counts WORKER_REQUESTS requests on a registry of its own and answers the primary's scrapes with it,
// as serveClusterScrapes does in the gateway's replicas.
const { AggregatorRegistry, Counter, Registry } = require('prom-client');

const registry = new Registry();
const counter = new Counter({ name: 'test_requests_total', help: 'requests', registers: [registry] });
counter.inc(Number(process.env.WORKER_REQUESTS));
AggregatorRegistry.setRegistries([registry]);
new AggregatorRegistry();
process.send({ type: 'ready' });
