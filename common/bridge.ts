// What the preload script exposes as `window.hyperion`, and a typed ApiClient built on top of it.
// Errors cross Electron's context bridge as plain values, so the bridge resolves with a result.
import type { Contract } from './contract';
import { ApiError, type ApiErrorShape } from './errors';
import type { ApiClient } from './rpc/client';

export type BridgeResult = { ok: true; output: unknown } | { ok: false; error: ApiErrorShape };

export interface HyperionBridge {
  call(method: string, input: unknown): Promise<BridgeResult>;
  subscribe(
    stream: string,
    params: unknown,
    onEvent: (event: unknown) => void,
    onError?: (error: ApiErrorShape) => void,
  ): () => void;
}

export const IPC_CHANNEL = 'hyperion:rpc';

export function clientFromBridge<C extends Contract>(bridge: HyperionBridge): ApiClient<C> {
  return {
    state: 'open',
    async call(method, input) {
      const result = await bridge.call(method, input);
      if (!result.ok) throw ApiError.from(result.error);
      return result.output as never;
    },
    subscribe(stream, params, callbacks) {
      return bridge.subscribe(
        stream,
        params,
        (event) => callbacks.onEvent(event as never),
        (error) => callbacks.onError?.(ApiError.from(error)),
      );
    },
    // The main process lives as long as the window: the bridge never disconnects.
    onState: () => () => {},
    close() {},
  };
}
