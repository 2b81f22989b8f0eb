// RESP2 request encoding: one string per command (an array of bulk strings), lengths in UTF-8 bytes.

export type Arg = string | number;

/** `*<n>\r\n$<len>\r\n<arg>\r\n…`: the whole command as one string, written to the socket in one call. */
export function encodeCommand(command: string, args: readonly Arg[]): string {
  let out = `*${args.length + 1}\r\n$${command.length}\r\n${command}\r\n`;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const s = typeof a === 'string' ? a : String(a);
    out += `$${Buffer.byteLength(s)}\r\n${s}\r\n`;
  }
  return out;
}
