import fc from 'fast-check';
import { valueAllowed, type ParamRule } from './contract';

// Path parameter values the contract refuses, as they go on the wire (percent-encoded). Each is drawn
// as a decoded string and then encoded one of several ways, or is a broken encoding outright; every one
// is checked against the contract, so none is an accidentally valid value such as "%31" (that is "1").

/** Numbers written in every way but the one the API takes: plain decimal digits, no sign or leading zero. */
const malformedNumber: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 2 ** 31 }).map((n) => `-${n}`), weight: 2 },
  { arbitrary: fc.constantFrom('0', '-0', '+0', '+1', '00', '-1'), weight: 2 },
  // decimals
  {
    arbitrary: fc
      .tuple(fc.nat({ max: 10 ** 6 }), fc.nat({ max: 999 }))
      .map(([whole, fraction]) => `${whole}.${fraction}`),
    weight: 2,
  },
  { arbitrary: fc.constantFrom('1.', '.5', '1.0', '1,5', '1_000', '1 000', "1'000"), weight: 1 },
  // past 2^53 - 1, up to absurdly long
  { arbitrary: fc.bigInt({ min: 2n ** 53n, max: 10n ** 40n }).map(String), weight: 2 },
  { arbitrary: fc.integer({ min: 20, max: 400 }).map((n) => '9'.repeat(n)), weight: 1 },
  // exponents
  {
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 9 }), fc.constantFrom('e', 'E', 'e+', 'e-'), fc.nat({ max: 400 }))
      .map(([mantissa, e, exponent]) => `${mantissa}${e}${exponent}`),
    weight: 2,
  },
  // other bases
  {
    arbitrary: fc
      .tuple(fc.constantFrom('0x', '0X', '0b', '0o', '#', '\\x'), fc.integer({ min: 1, max: 2 ** 31 }))
      .map(([prefix, n]) => prefix + n.toString(prefix.includes('b') ? 2 : prefix.includes('o') ? 8 : 16)),
    weight: 2,
  },
  // leading zeros, up to overlong ones
  {
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 10 ** 6 }))
      .map(([zeros, n]) => '0'.repeat(zeros) + n),
    weight: 2,
  },
  // digits that are not ASCII digits, and words JavaScript would make a number of
  {
    arbitrary: fc.constantFrom(
      '١٢٣', // Arabic-Indic
      '۵', // Extended Arabic-Indic
      '５', // fullwidth
      '１０',
      '²',
      '½',
      'Ⅻ',
      '𝟙',
      '߁',
      '१२',
      'Infinity',
      '-Infinity',
      'NaN',
      'null',
      'undefined',
      'true',
      '[]',
      '{}',
      '[1]',
      '0n',
      '1n',
    ),
    weight: 2,
  },
  // whitespace around or inside (decoded from %20, %09, ...)
  {
    arbitrary: fc
      .tuple(
        fc.constantFrom(' ', '\t', '\n', '\r\n', '\u00a0', '\u2003', '\u200b', '\ufeff', '\0'),
        fc.integer({ min: 1, max: 999 }),
        fc.constantFrom('before', 'after', 'inside'),
      )
      .map(([space, n, where]) =>
        where === 'before' ? `${space}${n}` : where === 'after' ? `${n}${space}` : `1${space}${n}`,
      ),
    weight: 2,
  },
);

/** Mutations of a well-formed UUID. */
const malformedUuid: fc.Arbitrary<string> = fc
  .tuple(
    fc.uuid(),
    fc.constantFrom(
      'truncate',
      'extend',
      'no-dashes',
      'braces',
      'urn',
      'non-hex',
      'unicode-digit',
      'misplaced-dash',
    ),
  )
  .map(([uuid, how]) => {
    switch (how) {
      case 'truncate':
        return uuid.slice(0, -1);
      case 'extend':
        return `${uuid}0`;
      case 'no-dashes':
        return uuid.replace(/-/g, '');
      case 'braces':
        return `{${uuid}}`;
      case 'urn':
        return `urn:uuid:${uuid}`;
      case 'non-hex':
        return `g${uuid.slice(1)}`;
      case 'unicode-digit':
        return `٣${uuid.slice(1)}`;
      case 'misplaced-dash':
        return `${uuid.slice(0, 7)}-${uuid.slice(7, 8)}${uuid.slice(9)}`;
    }
  });

/** Anything at all: ASCII, any Unicode, lone surrogates' neighbours included. */
const anyText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constantFrom('', '.', '..', '...', '~', '*', "'", '(', ')', '!'),
);

/** A string as a URL path segment: how clients encode it, and ways no client should. */
const encoded = (value: string): fc.Arbitrary<string> =>
  fc.constantFrom(
    encodeURIComponent(value),
    // every UTF-8 byte percent-encoded, digits too: "%31" is "1"
    [...Buffer.from(value, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''),
    [...Buffer.from(value, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join(''),
  );

/** Percent-encodings that decode to nothing: bare or short escapes, non-hex, and invalid UTF-8. */
const brokenEncoding: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(
      '%',
      '%1',
      '%G1',
      '%ZZ',
      '%%31',
      '%C0%AF', // overlong "/"
      '%C0%B1', // overlong "1"
      '%E0%80%B1', // overlong "1", three bytes
      '%FF',
      '%FE%FF',
      '%ED%A0%80', // a UTF-16 surrogate
      '%F4%90%80%80', // past U+10FFFF
      '%C3', // a truncated sequence
    ),
    fc.constantFrom('', '1', '5'),
    fc.boolean(),
  )
  .map(([broken, digits, before]) => (before ? broken + digits : digits + broken));

/** How many characters the longest path parameter has: past the 4096-byte URL limit. */
const OVERSIZED = fc.integer({ min: 4100, max: 12_000 });

/**
 * A path parameter value that `rule` refuses, as sent. `decodedValue` is what the server sees after
 * percent-decoding (undefined for a broken encoding).
 */
export function badValue(rule: ParamRule): fc.Arbitrary<string> {
  const decodedValues =
    rule === 'id'
      ? fc.oneof(
          { arbitrary: malformedUuid, weight: 4 },
          { arbitrary: malformedNumber, weight: 3 },
          { arbitrary: anyText, weight: 2 },
          // decimal ids past 16 digits
          { arbitrary: fc.integer({ min: 17, max: 60 }).map((n) => '1'.repeat(n)), weight: 1 },
        )
      : fc.oneof(
          { arbitrary: malformedNumber, weight: 6 },
          { arbitrary: anyText, weight: 2 },
          // a batch larger than 1 000 000
          ...(rule === 'batchSize'
            ? [{ arbitrary: fc.integer({ min: 1_000_001, max: 2 ** 40 }).map(String), weight: 2 }]
            : []),
        );
  return fc.oneof(
    { arbitrary: decodedValues.filter((v) => !valueAllowed(rule, v)).chain(encoded), weight: 12 },
    { arbitrary: brokenEncoding, weight: 2 },
    { arbitrary: OVERSIZED.map((n) => '1'.repeat(n)), weight: 1 },
  );
}
