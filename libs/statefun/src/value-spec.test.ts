import { Types } from './types';
import { valueSpec } from './value-spec';

describe('statefun > value specs', () => {
  it('accepts a plain state name', () => {
    expect(valueSpec('credit_1', Types.long).name).toBe('credit_1');
  });

  it("refuses names the runtime keeps for itself, which would fail the Flink job's state registration", () => {
    expect(() => valueSpec('batch', Types.long)).toThrow(/reserved/);
  });

  it('refuses names that are not identifiers', () => {
    expect(() => valueSpec('request-state', Types.long)).toThrow(/invalid state name/);
    expect(() => valueSpec('', Types.long)).toThrow(/invalid state name/);
  });
});
