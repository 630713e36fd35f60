import { accessSync, constants } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LiveKitServerMissingError } from './errors.ts';

const ABOVE = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The repository (or installed package) root: targets/ lives directly under it, or under its dist/ once built. */
export const REPO_ROOT = basename(ABOVE) === 'dist' ? resolve(ABOVE, '..') : ABOVE;

/** Where `npm run setup:livekit` installs the server (git-ignored). */
export const TOOLS_LIVEKIT_SERVER = join(REPO_ROOT, '.tools', 'bin', 'livekit-server');

const isExecutable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** LIVEKIT_SERVER_BIN if set, else the project-local install; a typed error tells the user how to get one. */
export function resolveLiveKitServerBin(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.LIVEKIT_SERVER_BIN;
  if (fromEnv) {
    if (isExecutable(fromEnv)) return fromEnv;
    throw new LiveKitServerMissingError(`LIVEKIT_SERVER_BIN=${fromEnv} is not an executable file`);
  }
  if (isExecutable(TOOLS_LIVEKIT_SERVER)) return TOOLS_LIVEKIT_SERVER;
  throw new LiveKitServerMissingError(`${TOOLS_LIVEKIT_SERVER} does not exist`);
}
