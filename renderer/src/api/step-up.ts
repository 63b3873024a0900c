// Dangerous calls refused with step_up_required wait for the person to confirm with 2FA (the dialog
// listens here), then run again once; calls refused as `locked` show the lock screen. The views do
// nothing special: they call as usual and get the result, or a clear error if it was cancelled.
import type { Api } from '../../../common/api';
import type { ApiClient } from '../../../common/rpc/client';
import { ApiError } from '../../../common/errors';

export interface StepUpRequest {
  /** The method that asked, e.g. "hosts.remove". */
  method: string;
  /** Tell the waiting call: true once confirmed (it runs again), false when cancelled. */
  settle(confirmed: boolean): void;
}

export interface StepUpGate {
  wrap(client: ApiClient<Api>): ApiClient<Api>;
  onRequest(listener: (request: StepUpRequest) => void): () => void;
  /** A call was refused because the app is locked. */
  onLocked(listener: () => void): () => void;
}

export function createStepUpGate(): StepUpGate {
  const requestListeners = new Set<(request: StepUpRequest) => void>();
  const lockedListeners = new Set<() => void>();
  let pending: Promise<boolean> | undefined;

  const ask = (method: string): Promise<boolean> => {
    // Several dangerous calls at once (a bulk action) share one confirmation.
    pending ??= new Promise<boolean>((resolve) => {
      if (requestListeners.size === 0) {
        resolve(false);
        return;
      }
      let done = false;
      const settle = (confirmed: boolean): void => {
        if (done) return;
        done = true;
        resolve(confirmed);
      };
      for (const listener of requestListeners) listener({ method, settle });
    }).finally(() => {
      pending = undefined;
    });
    return pending;
  };

  return {
    wrap(client) {
      const call: ApiClient<Api>['call'] = async (method, input) => {
        try {
          return await client.call(method, input);
        } catch (err) {
          if (err instanceof ApiError && err.code === 'locked') {
            for (const listener of lockedListeners) listener();
          }
          if (!(err instanceof ApiError) || err.code !== 'step_up_required') throw err;
          if (!(await ask(method))) {
            throw new ApiError(
              'step_up_required',
              'Not done: the action needs a code from your authenticator app.',
            );
          }
          return client.call(method, input);
        }
      };
      return {
        call,
        subscribe: (stream, params, callbacks) => client.subscribe(stream, params, callbacks),
        get state() {
          return client.state;
        },
        onState: (listener) => client.onState(listener),
        close: () => client.close(),
      };
    },
    onRequest(listener) {
      requestListeners.add(listener);
      return () => requestListeners.delete(listener);
    },
    onLocked(listener) {
      lockedListeners.add(listener);
      return () => lockedListeners.delete(listener);
    },
  };
}
