import { ExampleFunctionTypes } from '@shop/protos';
import { Types, statefulFunction, valueSpec } from '@shop/statefun';
import { greet } from './greeter-domain';

export const GreetingsSpec = valueSpec('greetings', Types.long);

/**
 * example/greeter: one instance per id, reachable only through the HTTP ingress
 * (`POST /in/example/greeter/<id>`). It answers whoever sent the message — for the ingress, the paired
 * egress — so a function written for the ingress needs nothing but `ctx.caller`.
 */
export const greeterFunction = statefulFunction({
  typename: ExampleFunctionTypes.greeter,
  specs: [GreetingsSpec],
  handle(ctx, message) {
    // A string is the name to greet; an empty message (or any other) greets the id itself.
    const name = message.is(Types.string) ? message.as(Types.string) : '';
    const greeting = greet(ctx.self.id, ctx.state.get(GreetingsSpec), name);
    ctx.state.set(GreetingsSpec, greeting.greetings);
    if (ctx.caller) ctx.send(ctx.caller, Types.string, greeting.text);
  },
});
