import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A self-signed certificate for 127.0.0.1 and localhost, and its key: PEM files in a fresh folder. */
export interface SelfSigned {
  certFile: string;
  keyFile: string;
  cert: Buffer;
  remove(): void;
}

/** Made with the openssl CLI (Node's crypto cannot issue certificates): an EC P-256 key, valid one day. */
export function selfSignedCertificate(): SelfSigned {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-tls-'));
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  // Args of their own, no shell: nothing here is interpreted.
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'pipe' },
  );
  return {
    certFile,
    keyFile,
    cert: fs.readFileSync(certFile),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
