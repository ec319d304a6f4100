import type { FastifyError, FastifyRequest } from 'fastify';
import { KalendsError, type ErrorCode } from '../core/errors.ts';

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'INVALID_PARAMETER',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_BODY',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_BODY',
};

/**
 * Any error of a request as a catalogue error, for the dialects to render: schema validation and
 * body parsing failures are the client's; anything unforeseen is INTERNAL (logged, never shown).
 */
export function toKalendsError(error: FastifyError | Error, request: FastifyRequest): KalendsError {
  if (error instanceof KalendsError) return error;
  const e = error as FastifyError;
  if (e.validation) return new KalendsError('INVALID_PARAMETER', `${e.validationContext ?? 'request'}${e.message.replace(/^(body|querystring|params)/, '')}`);
  const code = (e.code && FASTIFY_CODES[e.code]) ?? (error instanceof SyntaxError ? 'MALFORMED_BODY' : undefined);
  if (code) return new KalendsError(code, e.message);
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return new KalendsError('INVALID_PARAMETER', e.message);
  request.log.error({ err: error }, 'request failed');
  return new KalendsError('INTERNAL', 'internal error');
}
