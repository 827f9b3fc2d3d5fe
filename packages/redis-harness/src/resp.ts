/**
 * A minimal RESP client for the harness's own health checks (PING, CLUSTER
 * INFO): one command per connection, so a server that is still starting
 * cannot leave a half-read reply behind.
 */
import { connect } from "node:net";

/** A decoded RESP reply: simple and bulk strings, integers, nulls and arrays of them. */
export type RespReply = string | number | null | RespReply[];

/** A `-ERR ...` reply. */
export class RespErrorReply extends Error {
  override readonly name = "RespErrorReply";
}

/** Sends one command to 127.0.0.1:port and resolves with its reply. */
export function sendCommand(
  port: number,
  args: readonly string[],
  { host = "127.0.0.1", timeoutMs = 1000 }: { host?: string; timeoutMs?: number } = {},
): Promise<RespReply> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let buffer = Buffer.alloc(0);
    const done = (error: Error | undefined, reply?: RespReply): void => {
      socket.destroy();
      if (error) reject(error);
      else resolve(reply ?? null);
    };
    socket.setTimeout(timeoutMs, () =>
      done(new Error(`no reply from ${host}:${port} within ${timeoutMs}ms`)),
    );
    socket.on("error", (error) => done(error));
    socket.on("connect", () => {
      socket.write(encodeCommand(args));
    });
    socket.on("data", (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      let parsed: { reply: RespReply; end: number } | undefined;
      try {
        parsed = parseReply(buffer, 0);
      } catch (error) {
        done(error as Error);
        return;
      }
      if (parsed) done(undefined, parsed.reply);
    });
  });
}

function encodeCommand(args: readonly string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`;
}

/** Parses one reply at `start`; undefined while more bytes are needed. */
function parseReply(buffer: Buffer, start: number): { reply: RespReply; end: number } | undefined {
  const lineEnd = buffer.indexOf("\r\n", start);
  if (lineEnd < 0) return undefined;
  const prefix = String.fromCharCode(buffer[start] ?? 0);
  const line = buffer.toString("utf8", start + 1, lineEnd);
  const next = lineEnd + 2;
  switch (prefix) {
    case "+":
      return { reply: line, end: next };
    case "-":
      throw new RespErrorReply(line);
    case ":":
      return { reply: Number(line), end: next };
    case "$": {
      const length = Number(line);
      if (length < 0) return { reply: null, end: next };
      if (buffer.length < next + length + 2) return undefined;
      return { reply: buffer.toString("utf8", next, next + length), end: next + length + 2 };
    }
    case "*": {
      const count = Number(line);
      if (count < 0) return { reply: null, end: next };
      const items: RespReply[] = [];
      let at = next;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buffer, at);
        if (!item) return undefined;
        items.push(item.reply);
        at = item.end;
      }
      return { reply: items, end: at };
    }
    default:
      throw new Error(`unexpected RESP reply type ${JSON.stringify(prefix)}`);
  }
}
