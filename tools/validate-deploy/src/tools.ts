import fs from 'node:fs';
import path from 'node:path';
import { cleanEnv, run, type RunResult } from './run';

// The two programs the checks need, found or installed once into <repo>/.tools/bin (git-ignored):
// kustomize (kubectl's built-in one where present, else the Go module), and the Compose Specification's
// reference loader, compose-go's cmd, which validates a compose file against the spec's schema and prints
// the normalized model.

export const KUSTOMIZE_MODULE = 'sigs.k8s.io/kustomize/kustomize/v5';
export const KUSTOMIZE_VERSION = 'v5.5.0';
export const COMPOSE_MODULE = 'github.com/compose-spec/compose-go/v2/cmd';
export const COMPOSE_VERSION = 'v2.16.2';

export interface Tool {
  /** What the report prints: the program and its version, and how it was had. */
  describe: string;
  /** Builds an overlay directory, or loads a compose file. */
  run(target: string, cwd: string): RunResult;
}

export type ToolResult = { tool: Tool } | { error: string };

/** Installs module@version with `go install` unless .tools/bin already has that version; returns its path. */
function goInstall(
  root: string,
  module: string,
  version: string,
  binary: string,
  installedAs: string,
): { path: string; how: string } | { error: string } {
  const bin = path.join(root, '.tools', 'bin');
  const target = path.join(bin, installedAs);
  const stamp = `${target}.version`;
  const wanted = `${module}@${version}`;
  if (fs.existsSync(target) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8').trim() === wanted) {
    return { path: target, how: `cached in .tools/bin` };
  }
  const go = run('go', ['version'], { env: cleanEnv() });
  if (!go.ok)
    return {
      error: `${installedAs} is not installed and Go is not here to install it (${go.stderr.trim()})`,
    };
  // A private GOBIN, then a rename: a concurrent run never sees a half-written binary.
  const scratch = fs.mkdtempSync(path.join(root, '.tools', 'install-'));
  try {
    const install = run('go', ['install', wanted], { env: cleanEnv({ GOBIN: scratch, CGO_ENABLED: '0' }) });
    if (!install.ok) return { error: `go install ${wanted} failed: ${install.stderr.trim()}` };
    fs.mkdirSync(bin, { recursive: true });
    fs.renameSync(path.join(scratch, binary), target);
    fs.writeFileSync(stamp, `${wanted}\n`);
    return { path: target, how: `installed by go install in ${install.seconds.toFixed(1)} s` };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function ensureToolsDir(root: string) {
  fs.mkdirSync(path.join(root, '.tools'), { recursive: true });
}

/**
 * `kubectl kustomize` where kubectl has kustomize built in, else kustomize from the Go module proxy.
 * VALIDATE_KUSTOMIZE=go or =kubectl forces one.
 */
export function findKustomize(root: string, choice = process.env.VALIDATE_KUSTOMIZE ?? ''): ToolResult {
  if (choice !== 'go') {
    const version = run('kubectl', ['version', '--client', '-o', 'json'], { env: cleanEnv() });
    const kustomize = /"kustomizeVersion":\s*"([^"]+)"/.exec(version.stdout)?.[1];
    if (version.ok && kustomize !== undefined) {
      return {
        tool: {
          describe: `kubectl kustomize (kustomize ${kustomize})`,
          run: (target, cwd) => run('kubectl', ['kustomize', target], { cwd, env: cleanEnv() }),
        },
      };
    }
    if (choice === 'kubectl')
      return { error: 'VALIDATE_KUSTOMIZE=kubectl, but kubectl with kustomize is not here' };
  }
  ensureToolsDir(root);
  const installed = goInstall(root, KUSTOMIZE_MODULE, KUSTOMIZE_VERSION, 'kustomize', 'kustomize');
  if ('error' in installed) return installed;
  return {
    tool: {
      describe: `kustomize ${KUSTOMIZE_VERSION} (${installed.how})`,
      run: (target, cwd) => run(installed.path, ['build', target], { cwd, env: cleanEnv() }),
    },
  };
}

/**
 * The compose loader: `docker compose config` where the Docker client has the compose plugin, else
 * compose-go's reference cmd from the Go module proxy. VALIDATE_COMPOSE=go or =docker forces one.
 * Either runs with a clean environment, so the developer's variables do not leak into interpolation.
 */
export function findComposeLoader(root: string, choice = process.env.VALIDATE_COMPOSE ?? ''): ToolResult {
  if (choice !== 'go') {
    const version = run('docker', ['compose', 'version', '--short'], { env: cleanEnv() });
    if (version.ok) {
      return {
        tool: {
          describe: `docker compose ${version.stdout.trim()}`,
          run: (target, cwd) =>
            run('docker', ['compose', '-f', target, 'config', '--format', 'json'], { cwd, env: cleanEnv() }),
        },
      };
    }
    if (choice === 'docker')
      return { error: 'VALIDATE_COMPOSE=docker, but the Docker client has no compose plugin' };
  }
  ensureToolsDir(root);
  const installed = goInstall(root, COMPOSE_MODULE, COMPOSE_VERSION, 'cmd', 'compose-spec');
  if ('error' in installed) return installed;
  return {
    tool: {
      describe: `compose-spec (compose-go ${COMPOSE_VERSION}, ${installed.how})`,
      run: (target, cwd) => run(installed.path, ['--format', 'json', target], { cwd, env: cleanEnv() }),
    },
  };
}
