import fs from 'node:fs';
import tls from 'node:tls';
import { envInt, envString } from '@shop/service-kit';

/** The TLS identity of the ingress listener: PEM files, read once at start. */
export interface HttpIngressTls {
  cert: Buffer;
  key: Buffer;
}

/** Where and how the HTTP ingress listens (FLINK-23301's parameters), read once at start. */
export interface HttpIngressConfig {
  /** HTTP_INGRESS_HOST: the interface to bind (default 0.0.0.0). */
  host: string;
  /** HTTP_INGRESS_PORT: its port (default 5555). */
  port: number;
  /** Whether HTTP_INGRESS_PORT equals PORT: then the REST listener serves the ingress too. */
  sharesRestPort: boolean;
  /** HTTP_INGRESS_PATH: the path prefix of `/<prefix>/<namespace>/<type>/<id>` (default `in`). */
  pathPrefix: string;
  /** HTTP_INGRESS_TLS_CERT and HTTP_INGRESS_TLS_KEY: PEM files; with them the listener is HTTPS. */
  tls: HttpIngressTls | undefined;
}

const PATH_PREFIX = /^[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/;

function readPem(env: NodeJS.ProcessEnv, name: string): Buffer {
  const file = env[name] ?? '';
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new Error(`${name} must name a readable PEM file, got "${file}": ${(error as Error).message}`);
  }
}

function readTls(env: NodeJS.ProcessEnv): HttpIngressTls | undefined {
  const certSet = (env.HTTP_INGRESS_TLS_CERT ?? '') !== '';
  const keySet = (env.HTTP_INGRESS_TLS_KEY ?? '') !== '';
  if (!certSet && !keySet) return undefined;
  if (certSet !== keySet) {
    throw new Error('HTTP_INGRESS_TLS_CERT and HTTP_INGRESS_TLS_KEY must be set together, or neither');
  }
  const identity = { cert: readPem(env, 'HTTP_INGRESS_TLS_CERT'), key: readPem(env, 'HTTP_INGRESS_TLS_KEY') };
  try {
    // Fails now, naming the variables, rather than at the first connection.
    tls.createSecureContext(identity);
  } catch (error) {
    throw new Error(
      `HTTP_INGRESS_TLS_CERT and HTTP_INGRESS_TLS_KEY must be a PEM certificate and its private key: ${(error as Error).message}`,
    );
  }
  return identity;
}

/**
 * The HTTP ingress's configuration. `rest` is the REST listener's: an ingress on the same port is served
 * by it, so it cannot have a host or TLS of its own.
 */
export function readHttpIngressConfig(
  env: NodeJS.ProcessEnv,
  rest: { port: number; host: string },
): HttpIngressConfig {
  const port = envInt(env, 'HTTP_INGRESS_PORT', 5555, 0, 65535);
  const host = envString(env, 'HTTP_INGRESS_HOST', '0.0.0.0');
  const pathPrefix = envString(env, 'HTTP_INGRESS_PATH', 'in').replace(/^\/+|\/+$/g, '');
  if (!PATH_PREFIX.test(pathPrefix)) {
    throw new Error(
      `HTTP_INGRESS_PATH must be path segments of letters, digits and ._~- , got "${env.HTTP_INGRESS_PATH ?? ''}"`,
    );
  }
  const tlsIdentity = readTls(env);
  const sharesRestPort = port === rest.port;
  if (sharesRestPort && tlsIdentity) {
    throw new Error(
      'HTTP_INGRESS_TLS_* needs a port of its own: HTTP_INGRESS_PORT equals PORT, which is plain HTTP',
    );
  }
  if (sharesRestPort && env.HTTP_INGRESS_HOST && host !== rest.host) {
    throw new Error(`HTTP_INGRESS_HOST must equal HOST when HTTP_INGRESS_PORT equals PORT (${port})`);
  }
  return { host: sharesRestPort ? rest.host : host, port, sharesRestPort, pathPrefix, tls: tlsIdentity };
}
