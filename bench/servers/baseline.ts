// The baseline: a bare Fastify server answering a fixed small JSON GET. Everything Kalends does
// costs something on top of this; it measures what the machine, Node and Fastify give for free.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/hello', async () => ({ hello: 'world' }));
const address = await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
process.stdout.write(`baseline listening on ${address}\n`);
const stop = async () => { await app.close(); process.exit(0); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
