import type { FastifyReply } from 'fastify';
import { sendPage } from './render.ts';
import { MessagePage } from './views/message.tsx';

/** A 404 page of the console. */
export function notFound(reply: FastifyReply, message: string): FastifyReply {
  return sendPage(reply, MessagePage, { title: 'Not found', message }, 404);
}
