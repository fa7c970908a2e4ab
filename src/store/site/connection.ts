import { readFileSync } from "node:fs";
import pg from "pg";
import type { SiteConfig } from "../../config/site-schema.js";
import type { Logger } from "../../core/logger.js";

/**
 * Connections to the site database (node-postgres). The connection URL is read here, never handed
 * to the driver as a string, so that no password in it can reach an error message; the password
 * comes from the credential (config/site-password.ts). TLS: sslmode verify-full and require check
 * the certificate and the host name, verify-ca the certificate only; disable is plain TCP.
 */

/** Every timeclock table lives in this schema, owned by the terminals' role (docs/site.md). */
export const SITE_SCHEMA = "timeclock";

/** A connection attempt to a database that does not answer gives up after this by default. */
export const SITE_CONNECT_TIMEOUT_MS = 3_000;

/** The longest any query waits for an answer before it counts as failed. */
export const SITE_QUERY_TIMEOUT_MS = 10_000;

export type SitePool = pg.Pool;
export type SiteClient = pg.PoolClient;

export interface SiteTarget {
  config: SiteConfig;
  password: string | undefined;
}

/** Where a site URL points, for messages (never the password). */
export function describeSite(config: SiteConfig): string {
  try {
    const url = new URL(config.database);
    const user = url.username ? `${decodeURIComponent(url.username)}@` : "";
    return `${user}${url.host}${url.pathname}`;
  } catch {
    return "(not a URL)";
  }
}

/** The driver's settings for the site URL; throws a plain message when a named file is missing. */
export function siteClientConfig(target: SiteTarget, applicationName: string): pg.PoolConfig {
  const url = new URL(target.config.database);
  const params = url.searchParams;
  const mode = params.get("sslmode") ?? "disable";
  let ssl: pg.PoolConfig["ssl"] = false;
  if (mode !== "disable") {
    const rootcert = params.get("sslrootcert");
    let ca: string | undefined;
    if (rootcert) {
      try {
        ca = readFileSync(rootcert, "utf8");
      } catch (error) {
        throw new Error(
          `site.database names sslrootcert=${rootcert}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); put the CA certificate that signed the database server's certificate there, readable by the timeclock user`,
        );
      }
    }
    ssl = {
      rejectUnauthorized: true,
      ...(ca ? { ca } : {}),
      ...(mode === "verify-ca" ? { checkServerIdentity: () => undefined } : {}),
    };
  }
  const timeout = Number(params.get("connect_timeout") ?? "");
  return {
    host: decodeURIComponent(url.hostname.replace(/^\[|\]$/g, "")),
    port: url.port ? Number(url.port) : 5432,
    user: url.username ? decodeURIComponent(url.username) : undefined,
    database: decodeURIComponent(url.pathname.slice(1)),
    ...(target.password !== undefined ? { password: target.password } : {}),
    ssl,
    application_name: params.get("application_name") ?? applicationName,
    connectionTimeoutMillis:
      Number.isFinite(timeout) && timeout > 0 ? timeout * 1000 : SITE_CONNECT_TIMEOUT_MS,
    options: `-c search_path=${SITE_SCHEMA}`,
    keepAlive: true,
    // A database behind a broken network answers nothing; no query may wait for it forever.
    query_timeout: SITE_QUERY_TIMEOUT_MS,
  };
}

export interface PoolOptions {
  applicationName: string;
  logger: Logger;
  /** Connections at most; the tap path, the sync and the copier each take one at a time. */
  max?: number;
}

/** A pool of connections; errors of idle connections (a restarted server) are logged, not thrown. */
export function openSitePool(target: SiteTarget, options: PoolOptions): SitePool {
  const pool = new pg.Pool({
    ...siteClientConfig(target, options.applicationName),
    max: options.max ?? 4,
    idleTimeoutMillis: 30_000,
  });
  pool.on("error", (error) => {
    options.logger.warn(
      { err: error },
      "a connection to the site database broke; the next use opens another",
    );
  });
  return pool;
}

/** Runs `work` in one transaction on a connection of the pool. */
export async function inTransaction<T>(
  pool: SitePool,
  work: (client: SiteClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    try {
      await client.query("ROLLBACK");
    } catch {
      broken = true;
    }
    throw error;
  } finally {
    client.release(broken);
  }
}
