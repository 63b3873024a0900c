// clientFromBridge: the preload's plain-value results become a typed ApiClient with ApiErrors.
import type { Api } from '../../../common/api';
import { clientFromBridge, type HyperionBridge } from '../../../common/bridge';
import { ApiError, type ApiErrorShape } from '../../../common/errors';

function fakeBridge(overrides: Partial<HyperionBridge> = {}): HyperionBridge {
  return {
    call: vi.fn(async () => ({ ok: true as const, output: null })),
    subscribe: vi.fn(() => () => {}),
    ...overrides,
  };
}

describe('clientFromBridge', () => {
  it('resolves with the output of a successful call and passes method and input through', async () => {
    const call = vi.fn(async () => ({ ok: true as const, output: { answer: 42 } }));
    const client = clientFromBridge<Api>(fakeBridge({ call }));
    await expect(client.call('metrics.latest', { host: 'local' })).resolves.toEqual({ answer: 42 });
    expect(call).toHaveBeenCalledWith('metrics.latest', { host: 'local' });
  });

  it('throws an ApiError with the same code, message and details when the result is not ok', async () => {
    const error: ApiErrorShape = {
      code: 'invalid_input',
      message: 'The input is not valid.',
      details: { issues: [{ path: 'host', message: 'bad' }] },
    };
    const client = clientFromBridge<Api>(fakeBridge({ call: async () => ({ ok: false, error }) }));
    const thrown = await client.call('metrics.latest', { host: 'x' }).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(ApiError);
    expect((thrown as ApiError).code).toBe('invalid_input');
    expect((thrown as ApiError).message).toBe('The input is not valid.');
    expect((thrown as ApiError).details).toEqual(error.details);
  });

  it('passes stream events and errors through, and returns the bridge unsubscribe', () => {
    let onEvent: ((event: unknown) => void) | undefined;
    let onError: ((error: ApiErrorShape) => void) | undefined;
    const unsubscribe = vi.fn();
    const subscribe = vi.fn<HyperionBridge['subscribe']>((_stream, _params, ev, err) => {
      onEvent = ev;
      onError = err;
      return unsubscribe;
    });
    const client = clientFromBridge<Api>(fakeBridge({ subscribe }));
    const events: unknown[] = [];
    const errors: ApiError[] = [];
    const stop = client.subscribe(
      'metrics.live',
      { hosts: ['local'] },
      { onEvent: (e) => events.push(e), onError: (e) => errors.push(e) },
    );
    expect(subscribe).toHaveBeenCalledWith(
      'metrics.live',
      { hosts: ['local'] },
      expect.any(Function),
      expect.any(Function),
    );

    onEvent?.({ snapshot: true, samples: [] });
    onError?.({ code: 'forbidden', message: 'No.', details: { need: 'admin' } });
    expect(events).toEqual([{ snapshot: true, samples: [] }]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ApiError);
    expect(errors[0]?.code).toBe('forbidden');
    expect(errors[0]?.details).toEqual({ need: 'admin' });

    stop();
    expect(unsubscribe).toHaveBeenCalledTimes(1);
  });

  it('tolerates a stream error when no onError callback was given', () => {
    let onError: ((error: ApiErrorShape) => void) | undefined;
    const client = clientFromBridge<Api>(
      fakeBridge({
        subscribe: (_s, _p, _e, err) => {
          onError = err;
          return () => {};
        },
      }),
    );
    client.subscribe('metrics.live', { hosts: ['local'] }, { onEvent: () => {} });
    expect(() => onError?.({ code: 'internal', message: 'x' })).not.toThrow();
  });
});
