import type { TypedValue } from '@shop/protos';
import type { Type } from './types';

/** An incoming message: look at its typename, then read it as the type it claims to be. */
export class Message {
  constructor(
    readonly typename: string,
    readonly bytes: Uint8Array,
  ) {}

  static of(value: TypedValue): Message {
    return new Message(value.typename, value.has_value ? value.value : new Uint8Array(0));
  }

  is<T>(type: Type<T>): boolean {
    return this.typename === type.typename;
  }

  as<T>(type: Type<T>): T {
    if (!this.is(type)) {
      throw new TypeError(`message of type ${this.typename} read as ${type.typename}`);
    }
    return type.decode(this.bytes);
  }
}
