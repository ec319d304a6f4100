import { Ajv, type ValidateFunction } from 'ajv';
import type { DataValidationCxt } from 'ajv/dist/types/index.js';
import type { FastifyInstance } from 'fastify';

// strictNumbers: a number must be finite (JSON's 1e999 reads as Infinity, which an integer
// without a maximum would otherwise let through to the store).
const common = { useDefaults: true, removeAdditional: true, allErrors: false, strict: false, strictNumbers: true } as const;
/** Query strings and paths are text, so their numbers and booleans are read from strings. */
const lenient = new Ajv({ ...common, coerceTypes: true });
/** JSON bodies are typed: a number where a string belongs (or a list where one value belongs) is an error. */
const strict = new Ajv({ ...common, coerceTypes: false });

/**
 * Validates bodies strictly and query strings, paths and headers with type coercion. Coercion
 * reads "1e999" as Infinity and Ajv checks no coerced number again (strictNumbers applies to
 * numbers sent as numbers), so a coerced part is refused when one of its values is not finite.
 */
export function strictBodyValidation(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict.compile(schema) : finiteAfterCoercion(lenient.compile(schema))));
}

/** `validate`, also refusing a value coercion made Infinity (Fastify reads `errors` and `schemaEnv` off the function, as Ajv's). */
function finiteAfterCoercion(validate: ValidateFunction): ValidateFunction {
  const checked = ((data: unknown, context?: DataValidationCxt) => {
    const valid = context ? validate(data, context) : validate(data);
    checked.errors = validate.errors ?? null;
    if (!valid) return false;
    const infinite = Object.entries((data ?? {}) as Record<string, unknown>).find(([, value]) => typeof value === 'number' && !Number.isFinite(value));
    if (!infinite) return true;
    checked.errors = [{ instancePath: `/${infinite[0]}`, schemaPath: '#/type', keyword: 'type', params: { type: 'finite number' }, message: 'must be a finite number' }];
    return false;
  }) as ValidateFunction;
  return Object.assign(checked, { schema: validate.schema, schemaEnv: validate.schemaEnv });
}
