// Carries the RPC envelope over one server-side WebSocket, as JSON text frames.
import type { WebSocket } from 'ws';
import { Listeners, type Transport } from '../../common/rpc/transport';

/** A client that falls this far behind is disconnected; it reconnects and starts from a snapshot. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export function createWebSocketTransport(socket: WebSocket): Transport {
  const messages = new Listeners<[unknown]>();
  const closes = new Listeners<[string]>();
  const opens = new Listeners<[]>();
  let open = socket.readyState === socket.OPEN;

  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      messages.emit({ t: 'binary' }); // fails envelope validation and is answered as such
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString());
    } catch {
      parsed = { t: 'unreadable' };
    }
    messages.emit(parsed);
  });
  socket.on('close', (code, reason) => {
    if (!open) return;
    open = false;
    closes.emit(`${code} ${reason.toString()}`.trim());
  });
  socket.on('error', () => socket.terminate());

  return {
    get isOpen() {
      return open;
    },
    send(message) {
      if (!open) return;
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
        socket.close(1013, 'client too slow');
        return;
      }
      socket.send(JSON.stringify(message));
    },
    onMessage: (l) => messages.add(l),
    onClose: (l) => closes.add(l),
    onOpen: (l) => opens.add(l),
    close() {
      socket.close(1000, 'closing');
    },
  };
}
