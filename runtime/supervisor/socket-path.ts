// Unix socket paths are limited (sun_path: 108 bytes with the final NUL); a long --home breaks them.

export const MAX_SOCKET_PATH_BYTES = 107;

export class SocketPathTooLongError extends Error {
  constructor(readonly socketPath: string) {
    super(
      `the unix socket path ${socketPath} is ${Buffer.byteLength(socketPath)} bytes long, ` +
      `more than the ${MAX_SOCKET_PATH_BYTES} the system allows: use a shorter runtime home (--home or MFDATA_HOME)`,
    );
    this.name = 'SocketPathTooLongError';
  }
}

export function checkSocketPath(socketPath: string): void {
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH_BYTES) throw new SocketPathTooLongError(socketPath);
}
