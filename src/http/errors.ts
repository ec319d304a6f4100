import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { drainRequest } from './plugins/drain.ts';
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

/** How a dialect puts a catalogue error on the wire. */
export type ErrorSender = (reply: FastifyReply, request: FastifyRequest, error: KalendsError) => FastifyReply;

/**
 * One error handler and one not-found handler for a dialect's route prefix, both answering in
 * that dialect's format; a refused oversized body is drained first so the client reads the answer.
 */
export function handleErrors(app: FastifyInstance, send: ErrorSender): void {
  app.setErrorHandler(async (error, request, reply) => {
    const kalendsError = toKalendsError(error as FastifyError, request);
    if (kalendsError.code === 'PAYLOAD_TOO_LARGE') await drainRequest(request);
    return send(reply, request, kalendsError);
  });
  app.setNotFoundHandler((request, reply) =>
    send(reply, request, new KalendsError('ROUTE_NOT_FOUND', `no operation ${request.method} ${request.url.split('?')[0]}`)));
}

/** The HTTP status of an error reply: the dialect's own, unless an injected fault sets one. */
export function statusOf(error: KalendsError, dialectStatus: number): number {
  const forced = error.detail?.httpStatus;
  return typeof forced === 'number' ? forced : dialectStatus;
}
