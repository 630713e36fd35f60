/**
 * The livekit-server release the mock reproduces and the real-server backends install and run. The one place the
 * number is written: scripts/livekit-server-version.sh reads this line, so keep it a single-quoted literal.
 */
export const SERVER_VERSION = '1.13.5';
