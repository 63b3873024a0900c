// Where Hyperion keeps its data on each operating system, unless told otherwise.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Hyperion');
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'Hyperion');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'hyperion');
}
