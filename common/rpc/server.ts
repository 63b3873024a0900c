// Serves a contract over one connection: every input is validated before any handler runs, and
// every failure goes back as a typed error. A bad message never takes the process down.
import type { z } from 'zod';
import {
  roleAllows,
  type Caller,
  type Contract,
  type EventOf,
  type MethodDef,
  type MethodName,
  type OutputOf,
  type ParsedInputOf,
  type ParsedParamsOf,
  type Role,
  type StreamName,
} from '../contract';
import { ApiError, describeIssues, toApiError } from '../errors';
import { ClientMessage, type ServerMessage } from './envelope';
import type { Transport, Unsubscribe } from './transport';

export interface CallContext {
  readonly caller: Caller;
}

export type MethodHandlers<C extends Contract> = {
  [M in MethodName<C>]: (
    input: ParsedInputOf<C, M>,
    ctx: CallContext,
  ) => Promise<OutputOf<C, M>> | OutputOf<C, M>;
};

/** A stream handler emits the current state first, then changes; it returns how to stop. */
export type StreamHandlers<C extends Contract> = {
  [S in StreamName<C>]: (
    params: ParsedParamsOf<C, S>,
    emit: (event: EventOf<C, S>) => void,
    ctx: CallContext,
  ) => Unsubscribe | Promise<Unsubscribe>;
};

export interface Handlers<C extends Contract> {
  methods: MethodHandlers<C>;
  streams: StreamHandlers<C>;
}

export interface ServeOptions {
  /** Refuses a call; the default compares the caller's role with the method's. */
  authorize?: (caller: Caller, name: string, need: Role) => ApiError | undefined;
  /**
   * Refuses a method call once its input is valid, before the handler runs: e.g. a dangerous action
   * that needs a fresh 2FA confirmation (step_up_required).
   */
  confirm?: (caller: Caller, name: string, def: MethodDef, input: unknown) => ApiError | undefined;
  /** Told about calls refused by role or authentication and calls that failed inside, e.g. for the audit log. */
  onRefused?: (caller: Caller, name: string, error: ApiError) => void;
  /** Told about unexpected failures, with the original error, for the log. */
  onInternalError?: (name: string, error: unknown) => void;
  /**
   * Told when a call ends (answered or failed) and when a subscription is refused: the audit log's
   * hook. `input` is the validated input, or the raw one when it was refused as invalid.
   */
  onSettled?: (event: SettledCall) => void;
}

export interface SettledCall {
  readonly caller: Caller;
  readonly name: string;
  readonly kind: 'method' | 'stream';
  readonly mutating: boolean;
  readonly audit?: MethodDef['audit'];
  readonly input: unknown;
  /** Undefined when the call succeeded. */
  readonly error?: ApiError;
}

export interface Connection {
  readonly caller: Caller;
  /** Ends every stream of this connection and stops listening. */
  dispose(): void;
}

const defaultAuthorize = (caller: Caller, name: string, need: Role): ApiError | undefined =>
  roleAllows(caller.role, need)
    ? undefined
    : new ApiError('forbidden', `Your role (${caller.role}) may not use ${name}; it needs ${need}.`, {
        need,
      });

export function serveConnection<C extends Contract>(
  contract: C,
  handlers: Handlers<C>,
  transport: Transport,
  caller: Caller,
  options: ServeOptions = {},
): Connection {
  const authorize = options.authorize ?? defaultAuthorize;
  const streams = new Map<number, { stop?: Unsubscribe; ended: boolean }>();
  const send = (message: ServerMessage): void => transport.send(message);

  const fail = (name: string, error: ApiError): ApiError => {
    if (error.code === 'internal' || error.code === 'forbidden' || error.code === 'unauthorized') {
      options.onRefused?.(caller, name, error);
    }
    return error;
  };

  const parse = <T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> => {
    const result = schema.safeParse(value);
    if (!result.success) {
      throw new ApiError('invalid_input', `The ${what} is not valid.`, {
        issues: describeIssues(result.error),
      });
    }
    return result.data;
  };

  const handleCall = async (id: number, method: string, input: unknown): Promise<void> => {
    const def = Object.hasOwn(contract.methods, method) ? contract.methods[method] : undefined;
    if (!def) {
      send({
        t: 'error',
        id,
        error: new ApiError('unknown_method', `There is no method called "${method}".`).toJSON(),
      });
      return;
    }
    let settledInput: unknown = input;
    // Recorded before the answer goes out, so a caller that then reads the audit log finds it.
    const settle = (error?: ApiError): void => {
      try {
        options.onSettled?.({
          caller,
          name: method,
          kind: 'method',
          mutating: def.mutating === true,
          audit: def.audit,
          input: settledInput,
          error,
        });
      } catch (hookError) {
        options.onInternalError?.(method, hookError);
      }
    };
    try {
      const refusal = authorize(caller, method, def.role);
      if (refusal) throw refusal;
      const parsed = parse(def.input, input, `input of ${method}`);
      settledInput = parsed;
      const unconfirmed = options.confirm?.(caller, method, def, parsed);
      if (unconfirmed) throw unconfirmed;
      const handler = handlers.methods[method as MethodName<C>] as (
        input: unknown,
        ctx: CallContext,
      ) => unknown;
      const output = await handler(parsed, { caller });
      const checked = def.output.safeParse(output);
      if (!checked.success) {
        options.onInternalError?.(method, checked.error);
        throw new ApiError('internal', `Hyperion produced an invalid answer for ${method}.`);
      }
      settle();
      send({ t: 'result', id, output: checked.data });
    } catch (err) {
      if (!(err instanceof ApiError)) options.onInternalError?.(method, err);
      const error = fail(method, toApiError(err));
      settle(error);
      send({ t: 'error', id, error: error.toJSON() });
    }
  };

  const handleSub = async (id: number, stream: string, params: unknown): Promise<void> => {
    const def = Object.hasOwn(contract.streams, stream) ? contract.streams[stream] : undefined;
    if (!def) {
      send({
        t: 'end',
        id,
        error: new ApiError('unknown_stream', `There is no stream called "${stream}".`).toJSON(),
      });
      return;
    }
    if (streams.has(id)) {
      send({
        t: 'end',
        id,
        error: new ApiError('invalid_message', `Subscription ${id} already exists.`).toJSON(),
      });
      return;
    }
    const entry: { stop?: Unsubscribe; ended: boolean } = { ended: false };
    streams.set(id, entry);
    try {
      const refusal = authorize(caller, stream, def.role);
      if (refusal) throw refusal;
      const parsed = parse(def.params, params, `parameters of ${stream}`);
      const handler = handlers.streams[stream as StreamName<C>] as (
        params: unknown,
        emit: (event: unknown) => void,
        ctx: CallContext,
      ) => Unsubscribe | Promise<Unsubscribe>;
      const emit = (event: unknown): void => {
        if (entry.ended || !transport.isOpen) return;
        send({ t: 'event', id, event });
      };
      const stop = await handler(parsed, emit, { caller });
      if (entry.ended) stop();
      else entry.stop = stop;
    } catch (err) {
      if (!(err instanceof ApiError)) options.onInternalError?.(stream, err);
      streams.delete(id);
      entry.ended = true;
      const error = fail(stream, toApiError(err));
      try {
        options.onSettled?.({ caller, name: stream, kind: 'stream', mutating: false, input: params, error });
      } catch (hookError) {
        options.onInternalError?.(stream, hookError);
      }
      send({ t: 'end', id, error: error.toJSON() });
    }
  };

  const endStream = (id: number): void => {
    const entry = streams.get(id);
    if (!entry) return;
    entry.ended = true;
    streams.delete(id);
    entry.stop?.();
  };

  const offMessage = transport.onMessage((raw) => {
    const message = ClientMessage.safeParse(raw);
    if (!message.success) {
      send({
        t: 'rejected',
        error: new ApiError('invalid_message', 'Hyperion could not read that message.', {
          issues: describeIssues(message.error),
        }).toJSON(),
      });
      return;
    }
    const m = message.data;
    if (m.t === 'call') void handleCall(m.id, m.method, m.input);
    else if (m.t === 'sub') void handleSub(m.id, m.stream, m.params);
    else {
      endStream(m.id);
      send({ t: 'end', id: m.id });
    }
  });

  const dispose = (): void => {
    offMessage();
    offClose();
    for (const id of [...streams.keys()]) endStream(id);
  };
  const offClose = transport.onClose(dispose);

  return { caller, dispose };
}
