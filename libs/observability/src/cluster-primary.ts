import cluster from 'node:cluster';

// The primary of a Node cluster whose workers share one port (the gateway's replicas, the functions
// servers): it starts them, replaces one that dies, and on SIGINT/SIGTERM stops them all.

export interface ClusterPrimaryOptions {
  workers: number;
  /** What one worker is called in the messages, e.g. "gateway replica". */
  kind: string;
  /** The environment of the n-th worker started (0-based, replacements counted), and its name. */
  worker?: (n: number) => { name: string; env?: NodeJS.ProcessEnv };
  /** After SIGTERM, how long the workers get to end before the primary exits anyway. */
  shutdownTimeoutMs: number;
  report: (message: string) => void;
}

export function runClusterPrimary(options: ClusterPrimaryOptions): void {
  // The kernel, not the primary, hands connections out. In Node's round-robin mode the primary accepts
  // each connection and passes it to a worker; one passed to a worker that dies at that moment is never
  // closed, and its client hangs. Shared accepting costs some evenness, and a dead worker's connections
  // are simply reset, so their clients retry (StateFun) or poll their correlation IDs (the gateway's).
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  const names = new Map<number, string>();
  let started = 0;
  const fork = () => {
    const { name, env } = options.worker?.(started) ?? { name: `#${started}` };
    started++;
    names.set(cluster.fork(env).id, name);
  };
  for (let i = 0; i < options.workers; i++) fork();
  let stopping = false;
  cluster.on('exit', (worker, code, signal) => {
    const name = names.get(worker.id) ?? String(worker.process.pid);
    names.delete(worker.id);
    if (stopping) return;
    options.report(`${options.kind} ${name} exited (${signal ?? code}); starting a new one in 1 s`);
    // A pause, so that a worker that cannot start (Kafka or Redis down) is not restarted in a hot loop.
    setTimeout(fork, 1000);
  });
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    setTimeout(() => process.exit(1), options.shutdownTimeoutMs).unref();
    cluster.on('exit', () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
