import { greet } from './greeter-domain';

describe('functions > example/greeter', () => {
  it('greets the name it is sent, and counts the greetings per id', () => {
    const first = greet('Igal', undefined, 'Igal');
    expect(first).toEqual({ greetings: 1, text: 'Hello Igal, greeting #1 at example/greeter/Igal' });
    const second = greet('Igal', first.greetings, 'Elisa');
    expect(second).toEqual({ greetings: 2, text: 'Hello Elisa, greeting #2 at example/greeter/Igal' });
  });

  it('greets its own id when the message is empty', () => {
    expect(greet('Bobby', 6, '')).toEqual({
      greetings: 7,
      text: 'Hello Bobby, greeting #7 at example/greeter/Bobby',
    });
    expect(greet('Bobby', undefined, '  ').text).toBe('Hello Bobby, greeting #1 at example/greeter/Bobby');
  });
});
