// The desktop's file dialog for uploads (files.pickLocal): the paths come from here, the shell,
// never from the page, so the page can upload only what the person chose in the dialog.
import { dialog, type BrowserWindow } from 'electron';
import type { LocalFilePicker } from '../core/files/local-picks';

export function electronFilePicker(window: () => BrowserWindow | undefined): LocalFilePicker {
  return {
    async pick(kind) {
      const options: Electron.OpenDialogOptions = {
        title: kind === 'folder' ? 'Upload folders' : 'Upload files',
        buttonLabel: 'Upload',
        properties: [kind === 'folder' ? 'openDirectory' : 'openFile', 'multiSelections'],
      };
      const win = window();
      const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return result.canceled ? [] : result.filePaths;
    },
  };
}
