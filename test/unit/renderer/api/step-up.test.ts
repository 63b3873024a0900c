// The step-up gate: a call refused with step_up_required waits for the dialog, runs again once if
// confirmed, fails clearly if cancelled; simultaneous dangerous calls share one confirmation;
// locked refusals reach the lock screen.
import { api, type Api } from '../../../../common/api';
import { ApiError } from '../../../../common/errors';
import type { ApiClient } from '../../../../common/rpc/client';
import { createStepUpGate, type StepUpRequest } from '../../../../renderer/src/api/step-up';

/** A client whose calls answer from a script: each call takes the next outcome. */
function scripted(outcomes: (unknown | ApiError)[]): { client: ApiClient<Api>; calls: string[] } {
  const calls: string[] = [];
  const client = {
    state: 'open',
    call: async (method: string) => {
      calls.push(method);
      const next = outcomes.shift();
      if (next instanceof ApiError) throw next;
      return next;
    },
    subscribe: () => () => {},
    onState: () => () => {},
    close: () => {},
  } as unknown as ApiClient<Api>;
  return { client, calls };
}

const stepUp = () => new ApiError('step_up_required', 'Confirm this action.');

describe('the step-up gate', () => {
  it('passes other calls and errors through untouched', async () => {
    const gate = createStepUpGate();
    const { client } = scripted([{ ok: 1 }, new ApiError('forbidden', 'no')]);
    const wrapped = gate.wrap(client);
    await expect(wrapped.call('hosts.list', {})).resolves.toEqual({ ok: 1 });
    await expect(wrapped.call('hosts.list', {})).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('asks the dialog, then runs the call again once it is confirmed', async () => {
    const gate = createStepUpGate();
    const requests: StepUpRequest[] = [];
    gate.onRequest((r) => requests.push(r));
    const { client, calls } = scripted([stepUp(), { removed: true }]);
    const pending = gate.wrap(client).call('hosts.remove', { id: 'web-1' });
    await vi.waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0]!.method).toBe('hosts.remove');
    requests[0]!.settle(true);
    await expect(pending).resolves.toEqual({ removed: true });
    expect(calls).toEqual(['hosts.remove', 'hosts.remove']);
  });

  it('fails with a clear error when the person cancels, without calling again', async () => {
    const gate = createStepUpGate();
    gate.onRequest((r) => r.settle(false));
    const { client, calls } = scripted([stepUp()]);
    await expect(gate.wrap(client).call('hosts.remove', { id: 'x' })).rejects.toMatchObject({
      code: 'step_up_required',
      message: expect.stringMatching(/Not done/),
    });
    expect(calls).toEqual(['hosts.remove']);
  });

  it('shares one confirmation between dangerous calls made together', async () => {
    const gate = createStepUpGate();
    const requests: StepUpRequest[] = [];
    gate.onRequest((r) => requests.push(r));
    const { client } = scripted([stepUp(), stepUp(), 'a', 'b']);
    const wrapped = gate.wrap(client);
    const both = Promise.all([
      wrapped.call('processes.signal', {} as never),
      wrapped.call('processes.signal', {} as never),
    ]);
    await vi.waitFor(() => expect(requests).toHaveLength(1));
    requests[0]!.settle(true);
    expect((await both).sort()).toEqual(['a', 'b']);
  });

  it('refuses at once when no dialog is there to ask', async () => {
    const gate = createStepUpGate();
    const { client } = scripted([stepUp()]);
    await expect(gate.wrap(client).call('hosts.remove', { id: 'x' })).rejects.toMatchObject({
      code: 'step_up_required',
    });
  });

  it('tells the lock screen about a locked refusal', async () => {
    const gate = createStepUpGate();
    const locked = vi.fn();
    gate.onLocked(locked);
    const { client } = scripted([new ApiError('locked', 'Hyperion is locked')]);
    await expect(gate.wrap(client).call('hosts.list', {})).rejects.toMatchObject({ code: 'locked' });
    expect(locked).toHaveBeenCalledTimes(1);
  });

  it('keeps the client’s streams and state', () => {
    const gate = createStepUpGate();
    const { client } = scripted([]);
    const wrapped = gate.wrap(client);
    expect(wrapped.state).toBe('open');
    expect(typeof wrapped.subscribe('metrics.live', { hosts: ['local'] }, { onEvent: () => {} })).toBe(
      'function',
    );
    expect(api.methods['hosts.remove'].dangerous).toBe(true);
  });
});
