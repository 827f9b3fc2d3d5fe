/**
 * Validation of Envoy access-log format strings, with the reasons Kuma 0.4's
 * parser (pkg/envoy/accesslog) gave, since users see them verbatim in
 * `logging.backends[i].format` causes.
 */
import { goQuote, utf8Length } from "./go-quote.js";

/** Command operators that take arguments, with the reference form Kuma quotes in its reasons. */
const ARGUMENT_COMMANDS = {
  REQ: "%REQ(X?Y):Z%",
  RESP: "%RESP(X?Y):Z%",
  TRAILER: "%TRAILER(X?Y):Z%",
  DYNAMIC_METADATA: "%DYNAMIC_METADATA(NAMESPACE:KEY*):Z%",
  FILTER_STATE: "%FILTER_STATE(KEY):Z%",
  START_TIME: "%START_TIME%",
} as const;

type ArgumentCommand = keyof typeof ARGUMENT_COMMANDS;

// Any other upper-case name (BYTES_SENT, KUMA_SOURCE_SERVICE, ...) is a plain operator without
// arguments. Like Kuma's parser, validation does not check the name against a list: Envoy does.

// `%NAME%`, `%NAME(args)%`, `%NAME:limit%` or `%NAME(args):limit%`, anchored at a `%`.
const COMMAND_OPERATOR = /^%([A-Z_0-9]+)(?:\(([^)]*)\))?(?::([0-9]+))?%/;
// Header names end up in HTTP headers, where NUL, CR and LF are forbidden.
const HEADER_FORBIDDEN = ["\0", "\r", "\n"];
// A strftime specifier that renders a newline (`%n`, with optional flags and width).
const START_TIME_NEWLINE = /%[-_0^#]*[1-9]*n/;
// strconv.Atoi's range on 64-bit platforms.
const MAX_LIMIT = 9223372036854775807n;

interface CommandOperator {
  /** The whole operator as written, e.g. `%REQ(:path):10%`. */
  readonly token: string;
  readonly command: string;
  /** undefined when the operator has no parentheses at all (`%REQ%` vs `%REQ()%`). */
  readonly args: string | undefined;
  readonly limit: string | undefined;
}

/** Why `format` is not a valid access-log format string, or undefined when it is valid. */
export function accessLogFormatError(format: string): string | undefined {
  for (let pos = 0; pos < format.length; pos++) {
    if (format.charAt(pos) !== "%") continue;
    const tail = format.slice(pos);
    const match = COMMAND_OPERATOR.exec(tail);
    if (!match) {
      // Kuma counts positions in bytes, from 1.
      const position = utf8Length(format.slice(0, pos)) + 1;
      return `expected a command operator to start at position ${position}, instead got: ${goQuote(tail)}`;
    }
    const [token, command = "", args, limit] = match;
    const error = commandOperatorError({ token, command, args, limit });
    if (error !== undefined) return error;
    pos += token.length - 1;
  }
  return undefined;
}

function isArgumentCommand(command: string): command is ArgumentCommand {
  return Object.hasOwn(ARGUMENT_COMMANDS, command);
}

function commandOperatorError(op: CommandOperator): string | undefined {
  if (!isArgumentCommand(op.command)) {
    return op.args === undefined && op.limit === undefined
      ? undefined
      : `command ${goQuote(`%${op.command}%`)} doesn't support arguments or max length constraint, instead got ${goQuote(op.token)}`;
  }
  const reference = goQuote(ARGUMENT_COMMANDS[op.command]);
  switch (op.command) {
    case "REQ":
    case "RESP":
    case "TRAILER":
      return headerOperatorError(op, reference);
    case "DYNAMIC_METADATA":
      return (
        limitError(op) ??
        (op.args === undefined
          ? `command ${reference} requires a filter namespace and optional path as its arguments, instead got ${goQuote(op.token)}`
          : undefined)
      );
    case "FILTER_STATE":
      return (
        limitError(op) ??
        (op.args === undefined || op.args === ""
          ? `command ${reference} requires a key as its argument, instead got ${goQuote(op.token)}`
          : undefined)
      );
    case "START_TIME":
      return op.args !== undefined && START_TIME_NEWLINE.test(op.args)
        ? `start time format string contains a newline in ${goQuote(op.token)}`
        : undefined;
  }
}

function headerOperatorError(op: CommandOperator, reference: string): string | undefined {
  if (op.args === undefined) {
    return `command ${reference} requires a header and optional alternative header names as its arguments, instead got ${goQuote(op.token)}`;
  }
  const limit = limitError(op);
  if (limit !== undefined) return limit;
  const headers = op.args.split("?");
  if (headers.length > 2) return `more than 1 alternative header specified in ${goQuote(op.token)}`;
  if (headers.some((header) => HEADER_FORBIDDEN.some((c) => header.includes(c)))) {
    return `header name contains a newline in ${goQuote(op.token)}`;
  }
  return undefined;
}

function limitError(op: CommandOperator): string | undefined {
  if (op.limit === undefined || BigInt(op.limit) <= MAX_LIMIT) return undefined;
  return `length must be an integer, instead got ${goQuote(op.limit)} in ${goQuote(op.token)}`;
}
