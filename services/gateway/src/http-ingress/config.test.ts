import fs from 'node:fs';
import { selfSignedCertificate, type SelfSigned } from '../../../../test/support/tls';
import { readHttpIngressConfig } from './config';

const rest = { port: 8000, host: '0.0.0.0' };

describe('gateway > http ingress > config', () => {
  let tls: SelfSigned;
  beforeAll(() => {
    tls = selfSignedCertificate();
  });
  afterAll(() => tls.remove());

  it('defaults to 0.0.0.0:5555, path prefix "in", plain HTTP, beside the REST port', () => {
    expect(readHttpIngressConfig({}, rest)).toEqual({
      host: '0.0.0.0',
      port: 5555,
      sharesRestPort: false,
      pathPrefix: 'in',
      tls: undefined,
    });
  });

  it('reads every variable; a prefix may have several segments, slashes around it are dropped', () => {
    const config = readHttpIngressConfig(
      {
        HTTP_INGRESS_HOST: '127.0.0.1',
        HTTP_INGRESS_PORT: '6666',
        HTTP_INGRESS_PATH: '/statefun/in/',
        HTTP_INGRESS_TLS_CERT: tls.certFile,
        HTTP_INGRESS_TLS_KEY: tls.keyFile,
      },
      rest,
    );
    expect(config).toEqual({
      host: '127.0.0.1',
      port: 6666,
      sharesRestPort: false,
      pathPrefix: 'statefun/in',
      tls: { cert: tls.cert, key: fs.readFileSync(tls.keyFile) },
    });
  });

  it('shares the REST listener when its port is PORT, taking the REST host', () => {
    expect(readHttpIngressConfig({ HTTP_INGRESS_PORT: '8000' }, rest)).toMatchObject({
      port: 8000,
      host: '0.0.0.0',
      sharesRestPort: true,
    });
  });

  it('refuses a malformed value, naming the variable', () => {
    expect(() => readHttpIngressConfig({ HTTP_INGRESS_PORT: 'http' }, rest)).toThrow(/HTTP_INGRESS_PORT/);
    expect(() => readHttpIngressConfig({ HTTP_INGRESS_PORT: '70000' }, rest)).toThrow(/HTTP_INGRESS_PORT/);
    expect(() => readHttpIngressConfig({ HTTP_INGRESS_PATH: 'in/../x y' }, rest)).toThrow(
      /HTTP_INGRESS_PATH/,
    );
    expect(() => readHttpIngressConfig({ HTTP_INGRESS_PATH: '/' }, rest)).toThrow(/HTTP_INGRESS_PATH/);
  });

  it('refuses TLS settings that cannot work', () => {
    expect(() => readHttpIngressConfig({ HTTP_INGRESS_TLS_CERT: tls.certFile }, rest)).toThrow(
      /HTTP_INGRESS_TLS_CERT and HTTP_INGRESS_TLS_KEY must be set together/,
    );
    expect(() =>
      readHttpIngressConfig(
        { HTTP_INGRESS_TLS_CERT: '/nonexistent/cert.pem', HTTP_INGRESS_TLS_KEY: tls.keyFile },
        rest,
      ),
    ).toThrow(/HTTP_INGRESS_TLS_CERT must name a readable PEM file/);
    // The certificate given as its own key.
    expect(() =>
      readHttpIngressConfig(
        { HTTP_INGRESS_TLS_CERT: tls.certFile, HTTP_INGRESS_TLS_KEY: tls.certFile },
        rest,
      ),
    ).toThrow(/must be a PEM certificate and its private key/);
    expect(() =>
      readHttpIngressConfig(
        { HTTP_INGRESS_PORT: '8000', HTTP_INGRESS_TLS_CERT: tls.certFile, HTTP_INGRESS_TLS_KEY: tls.keyFile },
        rest,
      ),
    ).toThrow(/needs a port of its own/);
    expect(() =>
      readHttpIngressConfig({ HTTP_INGRESS_PORT: '8000', HTTP_INGRESS_HOST: '127.0.0.1' }, rest),
    ).toThrow(/HTTP_INGRESS_HOST must equal HOST/);
  });
});
