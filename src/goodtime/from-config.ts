import { type LoadedConfig, requirePassword } from "../config/load.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import { GoodTimeClient, type GoodTimeClientOptions } from "./client.js";

/** The client as the config describes it; a config error (exit 78) when no password is available. */
export function createClientFromConfig(
  loaded: LoadedConfig,
  logger: Logger,
  extra: Pick<GoodTimeClientOptions, "onServerDate" | "secrets"> & { clock?: Clock } = {},
): GoodTimeClient {
  const { server, terminal } = loaded.config;
  return new GoodTimeClient({
    baseUrl: server.baseUrl,
    apiVersion: server.apiVersion,
    ...(server.timeTypeField === undefined ? {} : { timeTypeField: server.timeTypeField }),
    loginEmail: server.loginEmail,
    apiPassword: requirePassword(loaded),
    authHeader: server.authHeader,
    authScheme: server.authScheme,
    timeFormat: server.timeFormat,
    timeZone: terminal.timeZone,
    timeoutMs: server.timeoutMs,
    logger,
    ...extra,
  });
}
