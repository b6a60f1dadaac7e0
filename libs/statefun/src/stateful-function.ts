import type { Context } from './context';
import type { Message } from './message';
import type { ValueSpec } from './value-spec';

/**
 * A remote function type: its typename (`namespace/type`; or `namespace/*` for every type of the
 * namespace without a function of its own, `ctx.self.type` telling which), the state each instance
 * keeps, and what it does with one message. A handler must not have side effects of its own: StateFun
 * may call it again for the same message after a failure, and only what it returns through the context
 * counts.
 */
export interface StatefulFunction {
  readonly typename: string;
  readonly specs: readonly ValueSpec<unknown>[];
  handle(ctx: Context, message: Message): void | Promise<void>;
}

export function statefulFunction(definition: StatefulFunction): StatefulFunction {
  if (!/^[^/]+\/[^/]+$/.test(definition.typename)) {
    throw new Error(`function typename must be "namespace/type", got "${definition.typename}"`);
  }
  const names = definition.specs.map((spec) => spec.name);
  if (new Set(names).size !== names.length) {
    throw new Error(`${definition.typename} declares a state name twice: ${names.join(', ')}`);
  }
  return definition;
}
