// The delivery thread's code (`delivery-thread.ts` starts it): its own connection to the store,
// the stream sender and, unless `--dispatch off`, the outbox dispatcher.
import { parentPort, workerData } from 'node:worker_threads';
import { openSandbox } from '../cli/sandbox.ts';
import { openSqliteStore } from '../store/sqlite.ts';
import { startDispatcher } from './dispatcher.ts';
import { StreamSender, streamSenderOptions } from './stream-sender.ts';
import { RemoteConnections } from './remote-connections.ts';
import type { DeliveryThreadData } from './delivery-thread.ts';
import type { FromDeliveryThread, ToDeliveryThread } from './delivery-messages.ts';

const port = parentPort!;
const data = workerData as DeliveryThreadData;
const tell = (message: FromDeliveryThread) => port.postMessage(message);
const log = (message: string) => tell({ type: 'log', message });

// A second connection to the file: the serving connection runs the WAL checkpoints.
const store = openSqliteStore(data.data, { checkpoints: false });
const { sandbox, stop: stopSandbox } = await openSandbox(store, { apiLog: 0 }, null);
const connections = new RemoteConnections((pushes) => tell({ type: 'pushes', pushes }));
const sender = new StreamSender(store, sandbox.clock, connections, streamSenderOptions(data.settings), log);
sender.start();
const dispatcher = data.dispatch ? startDispatcher(store, sandbox.clock, data.settings, log, sender) : undefined;

port.on('message', (message: ToDeliveryThread) => {
  switch (message.type) {
    case 'opened': return connections.opened(message.connection);
    case 'closed': return connections.closed(message.id);
    case 'answers': return connections.answered(message.answers);
    case 'clock': return sandbox.clock.apply(message.offsetMs);
    case 'stop': return void stop();
  }
});
tell({ type: 'ready' });

/** Lets the attempts and pushes under way finish and be recorded, closes the store, says so. */
async function stop(): Promise<void> {
  try {
    await dispatcher?.stop();
    await sender.stop();
    stopSandbox();
    await store.close();
  } finally {
    tell({ type: 'stopped' });
    port.close();
  }
}
