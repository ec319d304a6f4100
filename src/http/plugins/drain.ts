import type { FastifyRequest } from 'fastify';

/** Most bytes read and thrown away from a refused body before the connection is dropped. */
const DRAIN_LIMIT = 64 * 1024 * 1024;

/**
 * Reads and discards what is left of a request body that was refused (too large), so the
 * client, still sending, receives the JSON error instead of a reset connection. Past 64 MiB
 * the connection is dropped.
 */
export function drainRequest(request: FastifyRequest): Promise<void> {
  const raw = request.raw;
  if (raw.readableEnded || raw.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    raw.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > DRAIN_LIMIT) raw.destroy();
    });
    raw.once('end', () => resolve());
    raw.once('close', () => resolve());
    raw.once('error', () => resolve());
    raw.resume();
  });
}
