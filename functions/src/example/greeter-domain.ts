/** What one greeting decides: the count this greeter id has answered, and the answer. */
export interface Greeting {
  greetings: number;
  text: string;
}

/**
 * example/greeter: greets `name` (its own id when the message is empty) and counts the greetings this
 * id has answered.
 */
export function greet(id: string, greetings: number | undefined, name: string): Greeting {
  const count = (greetings ?? 0) + 1;
  const who = name.trim() === '' ? id : name;
  return { greetings: count, text: `Hello ${who}, greeting #${count} at example/greeter/${id}` };
}
