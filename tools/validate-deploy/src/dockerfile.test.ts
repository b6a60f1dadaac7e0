import { commandOf, parseDockerfile, stageNamed } from './dockerfile';
import { DOCKERFILE } from './testing';

describe('validate-deploy > dockerfile', () => {
  const stages = parseDockerfile(DOCKERFILE);

  it('names each stage and substitutes build args in FROM', () => {
    expect(stages.map((s) => s.name)).toEqual(['build', 'runtime', 'gateway', 'functions']);
    expect(stages[0].base).toBe('node:22-slim');
    expect(stageNamed(stages, 'gateway')?.baseIsStage).toBe(true);
  });

  it('reads a HEALTHCHECK continued over lines, and the CMD after it', () => {
    const gateway = stageNamed(stages, 'gateway')!;
    expect(gateway.healthcheck).toBe(true);
    expect(commandOf(gateway)).toEqual(['node', 'services/gateway/dist/main.js']);
    expect(stageNamed(stages, 'runtime')!.healthcheck).toBe(false);
  });

  it('inherits the parent stage health check and command; HEALTHCHECK NONE and ENTRYPOINT reset them', () => {
    const child = parseDockerfile(
      `${DOCKERFILE}\nFROM gateway AS quiet\nHEALTHCHECK NONE\nFROM gateway AS wrapped\nENTRYPOINT ["tini", "--"]`,
    );
    expect(stageNamed(child, 'quiet')!.healthcheck).toBe(false);
    expect(commandOf(stageNamed(child, 'quiet')!)).toEqual(['node', 'services/gateway/dist/main.js']);
    expect(commandOf(stageNamed(child, 'wrapped')!)).toEqual(['tini', '--']);
  });
});
