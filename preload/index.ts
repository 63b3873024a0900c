// The preload script: exposes `window.hyperion` with `call` and `subscribe`, and nothing else.
// It is bundled into one file because a sandboxed preload cannot load other modules.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { z } from 'zod';
import { api } from '../common/api';
import { IPC_CHANNEL, type HyperionBridge } from '../common/bridge';
import { toApiError } from '../common/errors';
import { connect } from '../common/rpc/client';
import { Listeners, type Transport } from '../common/rpc/transport';

// No eval under the page's CSP: zod validates without generating code.
z.config({ jitless: true });

const messages = new Listeners<[unknown]>();
ipcRenderer.on(IPC_CHANNEL, (_event: IpcRendererEvent, message: unknown) => messages.emit(message));

const transport: Transport = {
  isOpen: true,
  send: (message) => ipcRenderer.send(IPC_CHANNEL, message),
  onMessage: (listener) => messages.add(listener),
  onClose: () => () => {},
  onOpen: () => () => {},
  close: () => {},
};

const client = connect(api, transport);

const bridge: HyperionBridge = {
  call: (method, input) =>
    client.call(method as never, input as never).then(
      (output) => ({ ok: true as const, output }),
      (error: unknown) => ({ ok: false as const, error: toApiError(error).toJSON() }),
    ),
  subscribe: (stream, params, onEvent, onError) =>
    client.subscribe(stream as never, params as never, {
      onEvent,
      onError: (error) => onError?.(error.toJSON()),
    }),
};

contextBridge.exposeInMainWorld('hyperion', bridge);
