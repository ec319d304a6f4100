import type { Duplex } from 'node:stream';

/**
 * Coalesces the writes made to a socket in one turn of the event loop: the first write of a turn
 * corks the socket (Node's `writable.cork()`), which is uncorked on the next tick, so everything
 * written meanwhile leaves in one `writev` system call. A long connection's pushes are started
 * together (a stream sender's pass starts a batch of them at once); written one system call
 * each, their frames cost the server a write per push and the client a read per push.
 * @param socket the connection's TCP socket (the one a WebSocket upgrade was made on).
 * @returns a function to call before each write of the turn.
 */
export function coalescedWrites(socket: Duplex): () => void {
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  return () => {
    if (corked) return;
    corked = true;
    socket.cork();
    process.nextTick(uncork);
  };
}
