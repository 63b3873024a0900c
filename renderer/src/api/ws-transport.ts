// A browser WebSocket transport that reconnects with exponential backoff and jitter. The session
// cookie goes with every handshake; a close that says "signed out" ends the retries.
import { Listeners, type Transport } from '../../../common/rpc/transport';
import { CLOSE_RECONNECT, CLOSE_SIGNED_OUT, PROTOCOL } from '../../../common/rpc/websocket';

export interface ReconnectInfo {
  attempt: number;
  nextRetryMs: number;
}

export interface BrowserWsTransport extends Transport {
  onRetry(listener: (info: ReconnectInfo) => void): () => void;
  /** The session ended (signed out, expired, revoked): no more retries. */
  onSignedOut(listener: (reason: string) => void): () => void;
}

export interface BrowserWsOptions {
  /**
   * Asked after a connection fails, since a browser cannot see a refused handshake's status: false
   * means the session is gone (stop and sign in again), true or a throw means keep retrying.
   */
  stillSignedIn?: () => Promise<boolean>;
}

export function createBrowserWsTransport(url: string, options: BrowserWsOptions = {}): BrowserWsTransport {
  const messages = new Listeners<[unknown]>();
  const closes = new Listeners<[string]>();
  const opens = new Listeners<[]>();
  const retries = new Listeners<[ReconnectInfo]>();
  const signedOut = new Listeners<[string]>();
  let socket: WebSocket | undefined;
  let open = false;
  let attempt = 0;
  let closedForGood = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const endForGood = (reason: string): void => {
    if (closedForGood) return;
    closedForGood = true;
    if (timer) clearTimeout(timer);
    signedOut.emit(reason);
  };

  const connectNow = (): void => {
    const ws = new WebSocket(url, [PROTOCOL]);
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
      if (closedForGood) return;
      if (event.code === CLOSE_SIGNED_OUT) {
        endForGood(event.reason || 'Your session has ended.');
        return;
      }
      if (event.code === CLOSE_RECONNECT) {
        timer = setTimeout(connectNow, 50);
        return;
      }
      void recover();
    };
  };

  const recover = async (): Promise<void> => {
    if (options.stillSignedIn) {
      const signedIn = await options.stillSignedIn().catch(() => true);
      if (!signedIn) {
        endForGood('Your session has ended. Sign in again.');
        return;
      }
    }
    if (!closedForGood) scheduleReconnect();
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
    onSignedOut: (l) => signedOut.add(l),
    close() {
      closedForGood = true;
      if (timer) clearTimeout(timer);
      socket?.close(1000, 'closing');
    },
  };
}
