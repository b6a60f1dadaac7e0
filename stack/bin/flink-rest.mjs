/* global process, console, fetch, AbortSignal */
// Tiny Flink REST client for statefun.sh (Node 20, no dependencies). Prints one line, exits 0/1.
//   node flink-rest.mjs taskmanagers            -> number of registered TaskManagers (exit 1 if REST is down)
//   node flink-rest.mjs job <name>              -> "<jobId> <state> <vertices RUNNING>/<vertices>" of the
//                                                  newest job with that name, or "none"
//   node flink-rest.mjs checkpoints <jobId>     -> "<completed> <latest completed path or ->"
const base = `http://127.0.0.1:${process.env.FLINK_REST_PORT || 8081}`;
const get = async (path) => {
  const res = await fetch(base + path, { signal: AbortSignal.timeout(3000) });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
};
const [cmd, arg] = process.argv.slice(2);
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
