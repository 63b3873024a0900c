// A browser WebSocket transport that reconnects with exponential backoff and jitter.
import { Listeners, type Transport } from '../../../common/rpc/transport';
import { PROTOCOL, TOKEN_PROTOCOL_PREFIX } from '../../../common/rpc/websocket';

export interface ReconnectInfo {
  attempt: number;
  nextRetryMs: number;
}

export interface BrowserWsTransport extends Transport {
  onRetry(listener: (info: ReconnectInfo) => void): () => void;
}

export function createBrowserWsTransport(url: string, token: string): BrowserWsTransport {
  const messages = new Listeners<[unknown]>();
  const closes = new Listeners<[string]>();
  const opens = new Listeners<[]>();
  const retries = new Listeners<[ReconnectInfo]>();
  let socket: WebSocket | undefined;
  let open = false;
  let attempt = 0;
  let closedForGood = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const connectNow = (): void => {
    const ws = new WebSocket(url, [PROTOCOL, `${TOKEN_PROTOCOL_PREFIX}${token}`]);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      open = true;
      opens.emit();
    };
    ws.onmessage = (event) => {
      if (typeof event.data !== 'string') return;
      try {
        messages.emit(JSON.parse(event.data));
      } catch {
        // not a message of ours
      }
    };
    ws.onclose = (event) => {
      socket = undefined;
      const wasOpen = open;
      open = false;
      if (wasOpen) closes.emit(event.reason || `connection closed (${event.code})`);
      if (!closedForGood) scheduleReconnect();
    };
  };

  const scheduleReconnect = (): void => {
    attempt += 1;
    const base = Math.min(10_000, 500 * 2 ** Math.min(attempt - 1, 5));
    const delay = Math.round(base * (0.75 + Math.random() * 0.5));
    retries.emit({ attempt, nextRetryMs: delay });
    timer = setTimeout(connectNow, delay);
  };

  connectNow();

  return {
    get isOpen() {
      return open;
    },
    send(message) {
      if (open && socket) socket.send(JSON.stringify(message));
    },
    onMessage: (l) => messages.add(l),
    onClose: (l) => closes.add(l),
    onOpen: (l) => opens.add(l),
    onRetry: (l) => retries.add(l),
    close() {
      closedForGood = true;
      if (timer) clearTimeout(timer);
      socket?.close(1000, 'closing');
    },
  };
}
