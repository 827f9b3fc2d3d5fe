/**
 * `kuma-cp run [--config-file FILE] [--log-level LEVEL]` as a function that
 * returns the exit status: configuration (defaults → YAML → environment),
 * then the server until `stopSignal` aborts, then a graceful drain. Only
 * `src/main.ts` touches the real process (argv, env, signals, exit).
 */
import { readFile } from "node:fs/promises";
import { Command, CommanderError, Option } from "commander";
import { pino, type DestinationStream, type Level } from "pino";
import { ConfigError, loadServerConfig, type ServerConfig } from "@kuma-ts/model";
import { startServer, type RunningServer } from "../server/start-server.js";
import { serverVersion } from "../version.js";

/** What the command line touches of the outside world. */
export interface CliDependencies {
  /** The environment (`process.env`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** Aborted when the process is asked to stop (SIGTERM/SIGINT). */
  readonly stopSignal: AbortSignal;
  /** Where the JSON log lines go; `stdout` when absent. */
  readonly logDestination?: DestinationStream;
  /** Called once the servers listen. */
  readonly onStarted?: (server: RunningServer) => void;
}

const LOG_LEVELS = ["off", "fatal", "error", "warn", "info", "debug", "trace"] as const;

/**
 * Runs the command line (arguments without `node` and the script) and
 * resolves with the exit status: 0 after a clean stop, 1 for bad usage or
 * configuration (with a message on stderr naming the key or variable).
 *
 * @example
 * const code = await runCli(["run", "--config-file", "kuma-cp.yaml"], { env: process.env, stdout, stderr, stopSignal });
 */
export async function runCli(argv: readonly string[], deps: CliDependencies): Promise<number> {
  let status = 0;
  const program = new Command("kuma-cp")
    .description("Kuma control plane: the HTTP API of Kuma 0.4")
    .version(serverVersion(), "--version", "print the version")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => deps.stdout.write(text),
      writeErr: (text) => deps.stderr.write(text),
    });
  program
    .command("run")
    .description("run the control plane")
    .option("-c, --config-file <file>", "YAML configuration file")
    .addOption(new Option("--log-level <level>", "log level").choices(LOG_LEVELS).default("info"))
    .action(async (options: { configFile?: string; logLevel: (typeof LOG_LEVELS)[number] }) => {
      status = await run(options, deps);
    });
  try {
    await program.parseAsync(argv, { from: "user" });
    return status;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
}

async function run(
  options: { configFile?: string; logLevel: (typeof LOG_LEVELS)[number] },
  deps: CliDependencies,
): Promise<number> {
  const fail = (message: string): number => {
    deps.stderr.write(`kuma-cp: ${message}\n`);
    return 1;
  };
  let config: ServerConfig;
  try {
    const file = options.configFile
      ? { name: options.configFile, text: await readFile(options.configFile, "utf8") }
      : undefined;
    config = loadServerConfig({ ...(file ? { file } : {}), env: deps.env });
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message);
    if (isFileError(error)) return fail(`cannot read the configuration file ${options.configFile}: ${error.message}`);
    throw error;
  }

  const level: Level | "silent" = options.logLevel === "off" ? "silent" : options.logLevel;
  const logger = pino(
    {
      level,
      base: { component: "kuma-cp" },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: serializeError },
    },
    deps.logDestination ?? { write: (line: string) => deps.stdout.write(line) },
  );
  let server: RunningServer;
  try {
    server = await startServer({ config, logger });
  } catch (error) {
    logger.fatal({ err: error }, "kuma-cp could not start");
    return fail(`could not start: ${(error as Error).message}`);
  }
  deps.onStarted?.(server);
  await new Promise<void>((resolve) => {
    if (deps.stopSignal.aborted) resolve();
    else deps.stopSignal.addEventListener("abort", () => resolve(), { once: true });
  });
  logger.info({ reason: String(deps.stopSignal.reason ?? "stop") }, "stopping");
  await server.close();
  return 0;
}

const isFileError = (error: unknown): error is NodeJS.ErrnoException =>
  error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string" && "syscall" in error;

/**
 * pino's error serialiser, with `type` taken from the error's own `name`
 * when it has one: the bundle minifies class names (`constructor.name` is
 * `kh`), and the project's error classes name themselves
 * (`readonly name = "StoreUnavailableError"`).
 */
function serializeError(error: unknown): unknown {
  const serialized = pino.stdSerializers.err(error as Error) as unknown;
  if (error instanceof Error && Object.hasOwn(error, "name") && typeof serialized === "object" && serialized !== null) {
    (serialized as { type: string }).type = error.name;
  }
  return serialized;
}
