import { MAX_QUANTITY } from '@shop/protos';

/** A positive integer the shop can add without losing precision. */
export function isPositiveQuantity(n: number): boolean {
  return Number.isSafeInteger(n) && n > 0;
}

export function isNonNegativeQuantity(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/** Whether `a + b` stays an exact integer within the shop's limit. */
export function fitsSum(a: number, b: number): boolean {
  return a + b <= MAX_QUANTITY;
}
