import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FLINK_DEPLOYMENT_CRD, loadFlinkDeploymentCrd } from './operator-crd';

// The fetch with stand-ins for Maven: a missing program, and one that unpacks another file than the pinned.

describe('validate-deploy > the operator CRD fetch', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'operator-crd-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('reports a Maven that is not there', () => {
    const result = loadFlinkDeploymentCrd(root, path.join(root, 'no-mvn'));
    expect(result).toEqual({ error: expect.stringMatching(/^could not fetch the FlinkDeployment CRD/) });
  });

  it('refuses a file that is not the pinned one, and keeps nothing of it', () => {
    const fake = path.join(root, 'fake-mvn');
    // Writes a CRD of its own where -DoutputDirectory says.
    fs.writeFileSync(
      fake,
      `#!/bin/sh\nfor a in "$@"; do case "$a" in -DoutputDirectory=*) out="\${a#-DoutputDirectory=}";; esac; done\nmkdir -p "$out/META-INF/fabric8" && echo 'kind: Other' > "$out/${FLINK_DEPLOYMENT_CRD}"\n`,
      { mode: 0o755 },
    );
    const result = loadFlinkDeploymentCrd(root, fake);
    expect(result).toEqual({ error: expect.stringMatching(/has SHA-256 [0-9a-f]{64}, not the pinned/) });
    expect(fs.readdirSync(path.join(root, '.tools'))).toEqual([]);
  });
});
