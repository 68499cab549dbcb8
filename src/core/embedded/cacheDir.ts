/**
 * Where Stepwise keeps what it downloads for the embedded model (the runtime, model files): the
 * user's cache, never the workspace. $XDG_CACHE_HOME/stepwise (else ~/.cache/stepwise) on Linux,
 * ~/Library/Caches/stepwise on macOS, %LOCALAPPDATA%\stepwise\cache on Windows.
 */
import * as os from 'node:os';
import * as path from 'node:path';

export function userCacheDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  if (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)) return path.join(env.XDG_CACHE_HOME, 'stepwise');
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'stepwise');
  if (platform === 'win32' && env.LOCALAPPDATA) return path.join(env.LOCALAPPDATA, 'stepwise', 'cache');
  return path.join(os.homedir(), '.cache', 'stepwise');
}
