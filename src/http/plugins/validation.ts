import { Ajv } from 'ajv';
import type { FastifyInstance } from 'fastify';

const common = { useDefaults: true, removeAdditional: true, allErrors: false, strict: false } as const;
/** Query strings and paths are text, so their numbers and booleans are read from strings. */
const lenient = new Ajv({ ...common, coerceTypes: true });
/** JSON bodies are typed: a number where a string belongs (or a list where one value belongs) is an error. */
const strict = new Ajv({ ...common, coerceTypes: false });

/** Validates bodies strictly and query strings, paths and headers with type coercion. */
export function strictBodyValidation(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict : lenient).compile(schema));
}
