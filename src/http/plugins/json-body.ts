import type { FastifyInstance } from 'fastify';
import { jsonHoldsNul, nulRefused } from './no-nul.ts';

/**
 * Replaces the JSON body parser with one that reads an empty body as no body: DingTalk's
 * samples send `Content-Type: application/json` on body-less POSTs (seed 003), and Feishu's SDK
 * sends `{}` on GETs. Anything else is parsed by Fastify's own parser (prototype-poisoning safe).
 * A body holding a NUL character is refused (no-nul.ts).
 */
export function tolerantJsonBody(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    if (jsonHoldsNul(text)) {
      done(nulRefused('body'), undefined);
      return;
    }
    parse(request, text, done);
  });
}
