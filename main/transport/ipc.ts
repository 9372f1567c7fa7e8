// Electron transport: the contract's frames over ipcMain/webContents on one channel name,
// accepted only from Hearth's own page.
import { ipcMain, type WebContents } from 'electron';
import type { Frame, FrameChannel } from '../../common/rpc/index';

export const RPC_CHANNEL = 'hearth:rpc';

export function ipcChannel(contents: WebContents, trustedOrigin: string): FrameChannel {
  return {
    send(frame: Frame) {
      if (!contents.isDestroyed()) contents.send(RPC_CHANNEL, frame);
    },
    onFrame(listener) {
      const handler = (event: Electron.IpcMainEvent, frame: unknown) => {
        if (event.sender !== contents) return;
        const url = event.senderFrame?.url ?? '';
        if (!url.startsWith(trustedOrigin)) return;
        listener(frame);
      };
      ipcMain.on(RPC_CHANNEL, handler);
      return () => ipcMain.off(RPC_CHANNEL, handler);
    },
    onClose(listener) {
      contents.once('destroyed', listener);
      return () => contents.off('destroyed', listener);
    },
  };
}
