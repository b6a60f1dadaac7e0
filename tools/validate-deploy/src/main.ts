import path from 'node:path';
import { shopFunctions } from '@shop/functions';
import { ReadReplyEgress, ReplyEgress, ReplyTopics, Topics } from '@shop/protos';
import type { CodeTopology } from './module-yaml';
import { formatResult } from './problem';
import { loadFlinkDeploymentCrd } from './operator-crd';
import { findComposeLoader, findKustomize } from './tools';
import { validate } from './validate';

/** What module.yaml must route, from the code itself: protos' topics and egress, the functions served. */
export const codeTopology: CodeTopology = {
  topics: Object.values(Topics),
  egressTopics: [...ReplyTopics],
  replyEgresses: [ReplyEgress, ReadReplyEgress].map((e) => `${e.namespace}/${e.type}`),
  served: shopFunctions.map((f) => f.typename),
};

function main(): number {
  const started = process.hrtime.bigint();
  // dist/main.js → tools/validate-deploy → tools → the repo; or a copy of the repo named on the command line.
  const root = path.resolve(process.argv[2] ?? path.join(__dirname, '..', '..', '..'));
  const tools = {
    kustomize: findKustomize(root),
    compose: findComposeLoader(root),
    flinkCrd: loadFlinkDeploymentCrd(root),
  };
  const results = validate(root, tools, codeTopology);
  for (const line of results.flatMap(formatResult)) process.stdout.write(`${line}\n`);
  const problems = results.reduce((n, r) => n + r.problems.length, 0);
  const seconds = (Number(process.hrtime.bigint() - started) / 1e9).toFixed(1);
  process.stdout.write(
    problems === 0
      ? `validate:deploy: every check passed in ${seconds} s\n`
      : `validate:deploy: ${problems} problem(s) in ${results.filter((r) => r.problems.length > 0).length} check(s), in ${seconds} s\n`,
  );
  return problems === 0 ? 0 : 1;
}

process.exitCode = main();
