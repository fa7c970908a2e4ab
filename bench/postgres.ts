import { execFile } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";

/**
 * A scratch PostgreSQL cluster for tests, the soak and the benchmarks: Debian's own binaries,
 * initdb into a fresh directory, listening on a free loopback port and on a socket in that
 * directory. PostgreSQL refuses to run as root, so when this process is root (as CI may be) every
 * tool runs as the `postgres` system user that Debian's package creates (runuser), over a
 * directory that belongs to it.
 */

/** Where Debian (and Ubuntu) put each major version's server binaries. */
const DEBIAN_POSTGRES = "/usr/lib/postgresql";

/**
 * The directory of initdb and pg_ctl: TIMECLOCK_TEST_PG_BIN if set, else the newest
 * /usr/lib/postgresql/<major>/bin that holds them.
 */
export function postgresBin(env: NodeJS.ProcessEnv = process.env): string {
  const chosen = env.TIMECLOCK_TEST_PG_BIN;
  if (chosen) return chosen;
  const majors = existsSync(DEBIAN_POSTGRES)
    ? readdirSync(DEBIAN_POSTGRES)
        .filter((name) => /^\d+$/.test(name))
        .sort((x, y) => Number(y) - Number(x))
    : [];
  for (const major of majors) {
    const bin = join(DEBIAN_POSTGRES, major, "bin");
    if (existsSync(join(bin, "initdb")) && existsSync(join(bin, "pg_ctl"))) return bin;
  }
  throw new Error(
    `PostgreSQL's server programs (initdb, pg_ctl) are not under ${DEBIAN_POSTGRES}/<version>/bin; install Debian's postgresql package (apt-get install postgresql) or set TIMECLOCK_TEST_PG_BIN to the directory that holds them`,
  );
}

const run = promisify(execFile);
const SUPERUSER = "postgres";
/** What the terminals log in as in every scratch site: no superuser, no DDL outside its schema. */
export const SITE_ROLE = "timeclock";
export const SITE_ROLE_PASSWORD = "site-db-Pässwörd 1";

export interface ScratchPostgres {
  readonly port: number;
  /** The directory of the server's socket (also its data's parent). */
  readonly socketDir: string;
  /**
   * Makes a database for a site as docs/site.md sets one up; returns its name. `schema: false`
   * leaves out the schema, as for a restore (the dump brings it).
   */
  createSiteDatabase(name?: string, options?: { schema?: boolean }): Promise<string>;
  /** postgresql:// URL for the site role (no password in it: pass SITE_ROLE_PASSWORD apart). */
  siteUrl(database: string): string;
  /**
   * As docs/site.md says: `pg_dump --format=custom` of a database into `file` (in `socketDir`, which
   * the postgres user may write), and `pg_restore` of such a file into a database.
   */
  dump(database: string, file: string): Promise<void>;
  restore(database: string, file: string): Promise<void>;
  /** A superuser client on the socket, for checks a test makes behind the terminals' backs. */
  superuser(database: string): Promise<pg.Client>;
  /** "fast": a clean shutdown; "immediate": as after a crash (recovery at the next start). */
  stop(mode?: "fast" | "immediate"): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export interface ScratchOptions {
  /**
   * fsync on, as a real server runs (benchmarks); off for tests. Commits are synchronous either
   * way: a commit then reaches the kernel before the client hears of it, so a test's "immediate"
   * stop (a crash of the server's processes, not of the machine) keeps every commit a door was
   * told of. With synchronous_commit off it lost up to the last 200 ms of them, while other doors
   * had already been notified of what they changed.
   */
  durable?: boolean;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function asRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Runs a PostgreSQL tool, as the postgres user when this process is root. */
async function tool(name: string, args: readonly string[]): Promise<string> {
  const path = join(postgresBin(), name);
  const [command, argv] = asRoot()
    ? ["runuser", ["-u", SUPERUSER, "--", path, ...args]]
    : [path, [...args]];
  try {
    const { stdout } = await run(command, argv, { timeout: 60_000 });
    return stdout;
  } catch (error) {
    const failed = error as Error & { stderr?: string; stdout?: string };
    throw new Error(`${name} ${args.join(" ")} failed: ${failed.stderr || failed.message}`);
  }
}

export async function startScratchPostgres(options: ScratchOptions = {}): Promise<ScratchPostgres> {
  const dir = mkdtempSync(join(tmpdir(), "timeclock-pg-"));
  if (asRoot()) chownSync(dir, ...(await postgresIds()));
  const data = join(dir, "data");
  const port = await freePort();
  const durable = options.durable ?? false;
  const settings = [
    `-p ${port}`,
    "-c listen_addresses=127.0.0.1",
    `-c unix_socket_directories=${dir}`,
    "-c max_connections=200",
    "-c shared_buffers=32MB",
    ...(durable ? [] : ["-c fsync=off", "-c full_page_writes=off"]),
  ].join(" ");
  const pwfile = join(dir, "superuser-password");
  writeFileSync(pwfile, "scratch-superuser\n");
  if (asRoot()) chownSync(pwfile, ...(await postgresIds()));
  await tool("initdb", [
    "-D",
    data,
    "-U",
    SUPERUSER,
    `--pwfile=${pwfile}`,
    "--auth-local=trust",
    "--auth-host=scram-sha-256",
    "-E",
    "UTF8",
    "--no-locale",
    "--no-sync",
  ]);
  const start = async () => {
    await tool("pg_ctl", [
      "-D",
      data,
      "-l",
      join(dir, "server.log"),
      "-w",
      "-t",
      "60",
      "-o",
      settings,
      "start",
    ]);
  };
  await start();
  let running = true;
  const superuser = async (database: string) => {
    const client = new pg.Client({ host: dir, port, user: SUPERUSER, database });
    await client.connect();
    return client;
  };
  const admin = await superuser("postgres");
  try {
    await admin.query(
      `CREATE ROLE ${SITE_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '${SITE_ROLE_PASSWORD.replaceAll("'", "''")}'`,
    );
  } finally {
    await admin.end();
  }
  let databases = 0;
  return {
    port,
    socketDir: dir,
    async createSiteDatabase(name = `site${++databases}`, options = {}) {
      const root = await superuser("postgres");
      try {
        await root.query(`CREATE DATABASE ${name}`);
      } finally {
        await root.end();
      }
      const inside = await superuser(name);
      try {
        await inside.query(`
          REVOKE ALL ON DATABASE ${name} FROM PUBLIC;
          GRANT CONNECT ON DATABASE ${name} TO ${SITE_ROLE};
          REVOKE CREATE ON SCHEMA public FROM PUBLIC;
          ${options.schema === false ? "" : `CREATE SCHEMA timeclock AUTHORIZATION ${SITE_ROLE};`}
        `);
      } finally {
        await inside.end();
      }
      return name;
    },
    async dump(database, file) {
      await tool("pg_dump", [
        ...["--host", dir, "--port", String(port), "--username", SUPERUSER],
        ...["--format=custom", "--file", file, database],
      ]);
    },
    async restore(database, file) {
      await tool("pg_restore", [
        ...["--host", dir, "--port", String(port), "--username", SUPERUSER],
        ...["--dbname", database, file],
      ]);
    },
    siteUrl: (database) => `postgresql://${SITE_ROLE}@127.0.0.1:${port}/${database}`,
    superuser,
    async stop(mode = "fast") {
      if (!running) return;
      await tool("pg_ctl", ["-D", data, "-m", mode, "-w", "stop"]);
      running = false;
    },
    async start() {
      if (running) return;
      await start();
      running = true;
    },
    async close() {
      try {
        if (running) await tool("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        running = false;
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

async function postgresIds(): Promise<[number, number]> {
  const { stdout: uid } = await run("id", ["-u", SUPERUSER]);
  const { stdout: gid } = await run("id", ["-g", SUPERUSER]);
  return [Number(uid.trim()), Number(gid.trim())];
}
