import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { cleanEnv, run } from './run';

// The Flink Kubernetes Operator's FlinkDeployment CRD, offline after a first fetch: Maven Central's
// flink-kubernetes-operator-api jar packs it (fabric8's generated CRDs under META-INF/fabric8). Maven, which
// the stack installs and uses already, resolves the jar through ~/.m2 with strict checksums (-C), unpacks
// only that file into .tools/crds (git-ignored), and the file's SHA-256 must be the one pinned here: a
// fetch can fail, but never yield another schema. 1.10.0 is the operator's last release that supports
// Flink 1.16 (its FlinkVersion enum; newer ones deprecate and then drop v1_16), StateFun 3.3's Flink.

export const OPERATOR_API = 'org.apache.flink:flink-kubernetes-operator-api:1.10.0';
/** apiextensions.k8s.io/v1, what the operator's Helm chart installs (the -v1beta1.yml is the legacy CRD API). */
export const FLINK_DEPLOYMENT_CRD = 'META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml';
export const FLINK_DEPLOYMENT_CRD_SHA256 = '5f2b489140be56a972195971b8331f22f2c46d7f0de68cbd11ddf919cbc073a9';
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.6.1';

export type CrdResult = { crd: unknown; describe: string } | { error: string };

const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** The cached copy, fetched by Maven first when it is missing or not the pinned file. */
export function loadFlinkDeploymentCrd(root: string, mvn = process.env.MVN ?? 'mvn'): CrdResult {
  const [, artifact, version] = OPERATOR_API.split(':');
  const dir = path.join(root, '.tools', 'crds', `${artifact}-${version}`);
  const cached = path.join(dir, FLINK_DEPLOYMENT_CRD);
  let how = 'cached in .tools/crds';
  if (!fs.existsSync(cached) || sha256(cached) !== FLINK_DEPLOYMENT_CRD_SHA256) {
    fs.mkdirSync(path.join(root, '.tools'), { recursive: true });
    // A private folder, then a rename: a concurrent run never reads a half-written file.
    const scratch = fs.mkdtempSync(path.join(root, '.tools', 'crd-'));
    try {
      const fetched = run(
        mvn,
        [
          '-B',
          '-q',
          '-C',
          `${DEPENDENCY_PLUGIN}:unpack`,
          `-Dartifact=${OPERATOR_API}:jar`,
          `-DoutputDirectory=${scratch}`,
          `-Dmdep.unpack.includes=${FLINK_DEPLOYMENT_CRD}`,
        ],
        { cwd: scratch, env: cleanEnv() },
      );
      const file = path.join(scratch, FLINK_DEPLOYMENT_CRD);
      if (!fetched.ok || !fs.existsSync(file))
        return {
          error: `could not fetch the FlinkDeployment CRD from ${OPERATOR_API} with Maven (${mvn}): ${(fetched.stderr || fetched.stdout).trim().slice(0, 600) || 'no such file in the jar'}`,
        };
      const digest = sha256(file);
      if (digest !== FLINK_DEPLOYMENT_CRD_SHA256)
        return {
          error: `${FLINK_DEPLOYMENT_CRD} from ${OPERATOR_API} has SHA-256 ${digest}, not the pinned ${FLINK_DEPLOYMENT_CRD_SHA256}`,
        };
      fs.mkdirSync(path.dirname(cached), { recursive: true });
      fs.renameSync(file, cached);
      how = `fetched by Maven in ${fetched.seconds.toFixed(1)} s`;
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }
  try {
    return { crd: parse(fs.readFileSync(cached, 'utf8')), describe: `${OPERATOR_API} (${how})` };
  } catch (error) {
    return { error: `${cached} does not parse: ${(error as Error).message}` };
  }
}

/**
 * What the operator's validator (DefaultValidator) refuses besides the schema, which lists no required
 * field: no flinkVersion, a job without jarURI, resources without memory.
 */
export const FLINK_DEPLOYMENT_REQUIRED = {
  '': ['spec'],
  spec: ['flinkVersion'],
  'spec.job': ['jarURI'],
  'spec.jobManager.resource': ['memory'],
  'spec.taskManager.resource': ['memory'],
};
