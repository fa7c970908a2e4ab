import {
  describeSite,
  openSitePool,
  type SitePool,
  type SiteTarget,
} from "../store/site/connection.js";
import { SITE_SCHEMA_VERSION, siteSchemaVersion } from "../store/site/migrations.js";
import { listTerminals, siteSessionFacts } from "../store/site/terminals.js";
import { type Check, type Finding, fail, loadedOf, ok, warn } from "./types.js";

const LOOPBACK = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/**
 * Site mode's database: reached with this door's role and password, the schema version, least
 * rights (no superuser, no CREATEDB or CREATEROLE) and TLS off the loopback. Quietly ok when the
 * terminal runs alone.
 */
export const siteCheck: Check = {
  name: "site database",
  needs: ["config"],
  async run(deps, state): Promise<Finding> {
    const loaded = loadedOf(state);
    const config = loaded.config.site;
    if (!config) return ok("off: no site section, this terminal runs alone on SQLite");
    const where = describeSite(config);
    const target: SiteTarget = { config, password: loaded.site?.password };
    let pool: SitePool;
    try {
      pool = openSitePool(target, {
        applicationName: `timeclock ${config.terminalId} doctor`,
        logger: deps.logger,
        max: 1,
      });
    } catch (error) {
      return fail(`${where}: ${(error as Error).message}`, "fix site.database (docs/site.md)");
    }
    try {
      const facts = await siteSessionFacts(pool);
      const version = await siteSchemaVersion(pool);
      const doors = await listTerminals(pool);
      const about = `${where} answers (PostgreSQL ${facts.serverVersion}, role ${facts.role}, ${facts.tls ? "TLS" : "no TLS"}), schema ${version}, ${doors.length} door(s) known`;
      if (version > SITE_SCHEMA_VERSION) {
        return fail(
          `${about}: the schema is newer than this program knows (${SITE_SCHEMA_VERSION})`,
          "another door runs a newer timeclock; update this one to the same version",
        );
      }
      if (facts.superuser || facts.createsMore) {
        return warn(
          `${about}; the role ${facts.role} has more rights than a door needs (${facts.superuser ? "superuser" : "CREATEDB or CREATEROLE"})`,
          `log in as a role of its own with the grants in docs/site.md: CREATE ROLE timeclock LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`,
        );
      }
      const host = new URL(config.database).hostname;
      if (!facts.tls && !LOOPBACK.has(host)) {
        return warn(
          `${about}; the connection to ${host} is not encrypted: badge ids, emails and the password cross the network in the clear`,
          "turn ssl on in PostgreSQL and use sslmode=verify-full with sslrootcert= in site.database (docs/site.md)",
        );
      }
      if (version === 0) {
        return ok(`${about}; no schema yet: the first door to start creates it`);
      }
      return ok(about);
    } catch (error) {
      return fail(
        `${where} does not answer as it should: ${(error as Error).message}`,
        "check that PostgreSQL runs there and this door may reach it (pg_hba.conf, firewall), the role and its password (TIMECLOCK_SITE_DB_PASSWORD, the credential sitedbpassword or site.databasePasswordFile), then docs/site.md",
      );
    } finally {
      await pool.end().catch(() => {});
    }
  },
};
