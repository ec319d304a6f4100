// Values that a JSON schema (the OpenAPI documents' request schemas: TypeBox's JSON Schema)
// accepts, as fast-check arbitraries. Covers what the route schemas use: object (properties,
// required, additionalProperties), array (items, minItems, maxItems), string (minLength,
// maxLength, enum), integer/number (minimum, maximum), boolean, null, anyOf/oneOf, const/enum.
import fc from 'fast-check';

export type JsonSchema = Record<string, any>;

/** Strings that mean something to a calendar API, mixed into the random ones. */
const MEANINGFUL = ['primary', 'u_alice', 'ou_alice', 'user', 'chat', 'accepted', 'accept', 'open_id', 'union_id', '2031-03-04T10:00:00+08:00', '1930000000', 'Asia/Shanghai', 'FREQ=DAILY;COUNT=3'];

function stringOf(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? 40, 40));
  const random = fc.string({ minLength, maxLength });
  const meaningful = MEANINGFUL.filter((s) => s.length >= minLength && s.length <= (schema.maxLength ?? Infinity));
  return meaningful.length === 0 ? random : fc.oneof({ weight: 3, arbitrary: random }, { weight: 1, arbitrary: fc.constantFrom(...meaningful) });
}

function numberOf(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1_000_000);
  const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : 1_000_000);
  return integer ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true });
}

/** An arbitrary of the values `schema` accepts (as far as the keywords above go). */
export function arbitraryOf(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || Object.keys(schema).length === 0) return fc.jsonValue({ maxDepth: 2 });
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  const choices = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(choices)) return fc.oneof(...choices.map((c: JsonSchema) => arbitraryOf(c, depth)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const nullable = schema.nullable === true ? fc.constant(null) : undefined;
  let arb: fc.Arbitrary<unknown>;
  switch (type) {
    case 'string': arb = stringOf(schema); break;
    case 'integer': arb = numberOf(schema, true); break;
    case 'number': arb = numberOf(schema, false); break;
    case 'boolean': arb = fc.boolean(); break;
    case 'null': arb = fc.constant(null); break;
    case 'array': {
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? 3, depth > 2 ? minLength : 3));
      arb = fc.array(arbitraryOf(schema.items, depth + 1), { minLength, maxLength });
      break;
    }
    case 'object':
    default: {
      const properties: Record<string, JsonSchema> = schema.properties ?? {};
      const required = new Set<string>(schema.required ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, sub] of Object.entries(properties)) record[name] = arbitraryOf(sub, depth + 1);
      arb = fc.record(record, { requiredKeys: [...required].filter((k) => k in record) });
      break;
    }
  }
  return nullable ? fc.oneof(arb, nullable) : arb;
}
