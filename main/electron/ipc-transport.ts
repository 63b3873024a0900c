// Carries the RPC envelope between the main process and one window over one IPC channel pair.
import { ipcMain, type IpcMainEvent, type WebContents } from 'electron';
import { IPC_CHANNEL } from '../../common/bridge';
import { Listeners, type Transport } from '../../common/rpc/transport';
import { isTrustedSender } from './sender-check';

export function createIpcTransport(
  contents: WebContents,
  onUntrusted: (url: string | undefined) => void,
): Transport {
  const messages = new Listeners<[unknown]>();
  const closes = new Listeners<[string]>();
  let open = true;

  const onMessage = (event: IpcMainEvent, message: unknown): void => {
    if (event.sender.id !== contents.id) return; // another window's transport handles it
    const frame = event.senderFrame;
    const trusted = isTrustedSender({
      senderId: event.sender.id,
      expectedId: contents.id,
      frameUrl: frame?.url,
      isMainFrame: frame !== null && frame === contents.mainFrame,
    });
    if (!trusted) {
      onUntrusted(frame?.url);
      return;
    }
    messages.emit(message);
  };
  ipcMain.on(IPC_CHANNEL, onMessage);

  const shut = (reason: string): void => {
    if (!open) return;
    open = false;
    ipcMain.off(IPC_CHANNEL, onMessage);
    closes.emit(reason);
  };
  contents.once('destroyed', () => shut('window closed'));

  return {
    get isOpen() {
      return open && !contents.isDestroyed();
    },
    send(message) {
      if (open && !contents.isDestroyed()) contents.send(IPC_CHANNEL, message);
    },
    onMessage: (l) => messages.add(l),
    onClose: (l) => closes.add(l),
    onOpen: () => () => {},
    close: () => shut('closed'),
  };
}
