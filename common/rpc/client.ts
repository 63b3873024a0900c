// The typed client side of a contract over any transport. Calls fail with ApiError; streams
// resubscribe by themselves when a reconnecting transport comes back.
import type { Contract, EventOf, InputOf, MethodName, OutputOf, ParamsOf, StreamName } from '../contract';
import { ApiError } from '../errors';
import { ServerMessage, type ClientMessage } from './envelope';
import { Listeners, type Transport, type Unsubscribe } from './transport';

export interface StreamCallbacks<E> {
  onEvent: (event: E) => void;
  /** The stream ended with an error (bad parameters, refused, …); it will not resume. */
  onError?: (error: ApiError) => void;
}

export type ConnectionState = 'open' | 'closed';

export interface ApiClient<C extends Contract> {
  call<M extends MethodName<C>>(method: M, input: InputOf<C, M>): Promise<OutputOf<C, M>>;
  subscribe<S extends StreamName<C>>(
    stream: S,
    params: ParamsOf<C, S>,
    callbacks: StreamCallbacks<EventOf<C, S>>,
  ): Unsubscribe;
  readonly state: ConnectionState;
  onState(listener: (state: ConnectionState, reason?: string) => void): Unsubscribe;
  close(): void;
}

export interface ConnectOptions {
  /** How long a call may take before it fails with `timeout` (ms). */
  callTimeoutMs?: number;
}

interface PendingCall {
  resolve: (value: unknown) => void;
  reject: (error: ApiError) => void;
  timer: ReturnType<typeof setTimeout>;
}

interface ActiveStream {
  stream: string;
  params: unknown;
  callbacks: StreamCallbacks<unknown>;
  wireId: number | undefined;
}

export function connect<C extends Contract>(
  _contract: C,
  transport: Transport,
  options: ConnectOptions = {},
): ApiClient<C> {
  const callTimeoutMs = options.callTimeoutMs ?? 30_000;
  let nextId = 1;
  const pending = new Map<number, PendingCall>();
  const active = new Set<ActiveStream>();
  const byWireId = new Map<number, ActiveStream>();
  const states = new Listeners<[ConnectionState, string | undefined]>();
  let state: ConnectionState = transport.isOpen ? 'open' : 'closed';

  const send = (message: ClientMessage): void => transport.send(message);

  const startStream = (entry: ActiveStream): void => {
    if (!transport.isOpen) {
      entry.wireId = undefined;
      return;
    }
    const id = nextId++;
    entry.wireId = id;
    byWireId.set(id, entry);
    send({ t: 'sub', id, stream: entry.stream, params: entry.params });
  };

  const offMessage = transport.onMessage((raw) => {
    const parsed = ServerMessage.safeParse(raw);
    if (!parsed.success) return; // not ours to act on; the server only sends valid envelopes
    const m = parsed.data;
    switch (m.t) {
      case 'result':
      case 'error': {
        const call = pending.get(m.id);
        if (!call) return;
        pending.delete(m.id);
        clearTimeout(call.timer);
        if (m.t === 'result') call.resolve(m.output);
        else call.reject(ApiError.from(m.error));
        return;
      }
      case 'event':
        byWireId.get(m.id)?.callbacks.onEvent(m.event);
        return;
      case 'end': {
        const entry = byWireId.get(m.id);
        byWireId.delete(m.id);
        if (entry && entry.wireId === m.id && m.error) {
          active.delete(entry);
          entry.callbacks.onError?.(ApiError.from(m.error));
        }
        return;
      }
      case 'rejected':
        return;
    }
  });

  const rejectPending = (reason: string): void => {
    for (const [id, call] of pending) {
      clearTimeout(call.timer);
      call.reject(new ApiError('disconnected', 'The connection to Hyperion was lost.', { reason }));
      pending.delete(id);
    }
  };

  const offClose = transport.onClose((reason) => {
    state = 'closed';
    rejectPending(reason);
    byWireId.clear();
    for (const entry of active) entry.wireId = undefined;
    states.emit('closed', reason);
  });

  const offOpen = transport.onOpen(() => {
    state = 'open';
    for (const entry of active) startStream(entry);
    states.emit('open', undefined);
  });

  return {
    get state() {
      return state;
    },
    call(method, input) {
      return new Promise((resolve, reject) => {
        if (!transport.isOpen) {
          reject(new ApiError('disconnected', 'Not connected to Hyperion.'));
          return;
        }
        const id = nextId++;
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new ApiError('timeout', `${method} did not answer within ${callTimeoutMs / 1000} s.`));
        }, callTimeoutMs);
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
        send({ t: 'call', id, method, input });
      });
    },
    subscribe(stream, params, callbacks) {
      const entry: ActiveStream = {
        stream,
        params,
        callbacks: callbacks as StreamCallbacks<unknown>,
        wireId: undefined,
      };
      active.add(entry);
      startStream(entry);
      return () => {
        if (!active.delete(entry)) return;
        if (entry.wireId !== undefined && transport.isOpen) send({ t: 'unsub', id: entry.wireId });
        if (entry.wireId !== undefined) byWireId.delete(entry.wireId);
      };
    },
    onState(listener) {
      return states.add(listener);
    },
    close() {
      offMessage();
      offClose();
      offOpen();
      rejectPending('client closed');
      active.clear();
      byWireId.clear();
      state = 'closed';
      transport.close();
    },
  };
}
