import { checkImages, ourTarget, splitImage } from './images';
import { composeService, container, deployment, files, messages, overlay } from './testing';

describe('validate-deploy > images', () => {
  it('splits repository, tag and digest; a registry port is not a tag', () => {
    expect(splitImage('registry:5000/statefun-shop/gateway:0.1.0')).toEqual({
      repository: 'registry:5000/statefun-shop/gateway',
      tag: '0.1.0',
      digest: undefined,
    });
    expect(splitImage('redis@sha256:abc')).toEqual({
      repository: 'redis',
      tag: undefined,
      digest: 'sha256:abc',
    });
  });

  it('tells ours, renamed to a registry path or not, from third-party images', () => {
    expect(ourTarget('statefun-shop/gateway:0.1.0')).toBe('gateway');
    expect(ourTarget('registry.example.com/statefun-shop/functions:0.1.0')).toBe('functions');
    expect(ourTarget('apache/flink-statefun:3.3.0')).toBeUndefined();
  });

  it('passes ours built by a stage and pinned third-party images', () => {
    const good = files({
      overlays: [
        overlay([deployment('gateway'), deployment('redis', [container({ image: 'redis:7.4-alpine' })])]),
      ],
      compose: {
        file: 'docker-compose.yml',
        services: [
          composeService('functions', {
            image: 'statefun-shop/functions:0.1.0',
            build: { context: '.', dockerfile: 'Dockerfile', target: 'functions' },
          }),
        ],
      },
    });
    expect(checkImages(good)).toEqual([]);
  });

  it('catches an image of ours no stage builds, and unpinned images', () => {
    const bad = files({
      overlays: [
        overlay([
          deployment('a', [container({ image: 'statefun-shop/gatway:0.1.0' })]),
          deployment('b', [container({ image: 'redis' })]),
          deployment('c', [container({ image: 'apache/kafka:latest' })]),
        ]),
      ],
    });
    expect(messages(checkImages(bad))).toEqual([
      expect.stringContaining('has no stage "gatway"'),
      expect.stringContaining('has no tag'),
      expect.stringContaining('is :latest'),
    ]);
  });

  it('catches an unpinned Dockerfile base image', () => {
    const bad = files();
    bad.dockerfile!.stages[0].base = 'node';
    expect(messages(checkImages(bad))).toEqual([expect.stringContaining('image node has no tag')]);
  });

  it('catches a compose build of a missing target, of another Dockerfile, or tagged as another image', () => {
    const bad = files({
      compose: {
        file: 'docker-compose.yml',
        services: [
          composeService('x', {
            image: 'statefun-shop/x:0.1.0',
            build: { context: '.', dockerfile: 'Dockerfile', target: 'x' },
          }),
          composeService('y', {
            image: 'statefun-shop/gateway:0.1.0',
            build: { context: 'other', dockerfile: 'Dockerfile', target: 'functions' },
          }),
          composeService('z', {
            image: undefined,
            build: { context: '.', dockerfile: 'Dockerfile', target: undefined },
          }),
        ],
      },
    });
    expect(messages(checkImages(bad))).toEqual([
      expect.stringContaining('has no stage "x"'),
      expect.stringContaining('builds target "x", which Dockerfile does not have'),
      expect.stringContaining('builds other/Dockerfile'),
      expect.stringContaining('builds target "functions" but tags it statefun-shop/gateway:0.1.0'),
      expect.stringContaining('builds without a target'),
      expect.stringContaining('does not tag it'),
    ]);
  });
});
