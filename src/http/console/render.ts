import type { FastifyReply } from 'fastify';
import { h, type FunctionComponent } from 'preact';
import { renderToString } from 'preact-render-to-string';

/**
 * Renders a page component to a complete HTML document and sends it. JSX escapes every value,
 * so nothing a user or an app stored can become markup.
 */
export function sendPage<P extends object>(reply: FastifyReply, page: FunctionComponent<P>, props: P, status = 200): FastifyReply {
  const html = `<!doctype html>${renderToString(h(page, props))}`;
  return reply.code(status).type('text/html; charset=utf-8').send(html);
}
