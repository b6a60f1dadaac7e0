/* global process, console, fetch, AbortSignal, setTimeout */
// Tiny Flink REST client for statefun.sh and rescale.sh (Node 20, no dependencies). Prints one line, exits
// 0/1 (the error on stderr).
//   node flink-rest.mjs taskmanagers            -> number of registered TaskManagers (exit 1 if REST is down)
//   node flink-rest.mjs slots                   -> "<slots in all> <slots free>"
//   node flink-rest.mjs job <name>              -> "<jobId> <state> <vertices RUNNING>/<vertices>" of the
//                                                  newest job with that name, or "none"
//   node flink-rest.mjs parallelism <jobId>     -> the job's parallelism (its widest vertex)
//   node flink-rest.mjs checkpoints <jobId>     -> "<completed> <latest completed path or ->"
//   node flink-rest.mjs savepoint <jobId> <dir> -> a savepoint of the job in <dir>, then the job cancelled;
//                                                  prints the savepoint's path once both are done
const base = `http://127.0.0.1:${process.env.FLINK_REST_PORT || 8081}`;
const get = async (path) => {
  const res = await fetch(base + path, { signal: AbortSignal.timeout(3000) });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
};
const post = async (path, body) => {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10000),
  });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Not Flink's stop-with-savepoint (POST /jobs/<id>/stop): StateFun's Kafka ingress is the legacy
// FlinkKafkaConsumer, whose source fails while stopping ("Handover$ClosedException"), so the savepoint is
// declined and the job restarts. A savepoint with cancel-job is the same snapshot, and the egress's
// transactions of that savepoint are committed by the job that restores it if not before.
async function savepointAndCancel(jobId, dir) {
  const { 'request-id': trigger } = await post(`/jobs/${jobId}/savepoints`, {
    'target-directory': dir,
    'cancel-job': true,
  });
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    const { status, operation } = await get(`/jobs/${jobId}/savepoints/${trigger}`);
    if (status.id === 'COMPLETED') {
      if (operation['failure-cause']) {
        const cause = operation['failure-cause']['stack-trace'] ?? '';
        throw new Error(`savepoint failed, the job keeps running: ${cause.split('\n')[0]}`);
      }
      return operation.location;
    }
    await sleep(200);
  }
  throw new Error('no savepoint within 5 minutes');
}

const [cmd, arg, arg2] = process.argv.slice(2);
try {
  if (cmd === 'taskmanagers') {
    console.log((await get('/overview')).taskmanagers);
  } else if (cmd === 'job') {
    const { jobs } = await get('/jobs/overview');
    const mine = jobs.filter((j) => j.name === arg).sort((a, b) => b['start-time'] - a['start-time']);
    if (!mine.length) console.log('none');
    else {
      const j = mine[0];
      const detail = await get(`/jobs/${j.jid}`);
      const running = detail.vertices.filter((v) => v.status === 'RUNNING').length;
      console.log(`${j.jid} ${j.state} ${running}/${detail.vertices.length}`);
    }
  } else if (cmd === 'slots') {
    const o = await get('/overview');
    console.log(`${o['slots-total']} ${o['slots-available']}`);
  } else if (cmd === 'parallelism') {
    const { vertices } = await get(`/jobs/${arg}`);
    console.log(Math.max(...vertices.map((v) => v.parallelism)));
  } else if (cmd === 'savepoint') {
    console.log(await savepointAndCancel(arg, arg2));
  } else if (cmd === 'checkpoints') {
    const c = await get(`/jobs/${arg}/checkpoints`);
    console.log(`${c.counts.completed} ${c.latest?.completed?.external_path ?? '-'}`);
  } else {
    throw new Error(`unknown command ${cmd}`);
  }
} catch (e) {
  console.error(String(e.message || e));
  process.exit(1);
}
