import { existsSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { postgresBin } from "../../bench/postgres.js";

it("takes the server programs' directory from TIMECLOCK_TEST_PG_BIN when it is set", () => {
  expect(postgresBin({ TIMECLOCK_TEST_PG_BIN: "/opt/pg/bin" })).toBe("/opt/pg/bin");
});

it("finds initdb and pg_ctl under Debian's /usr/lib/postgresql/<version>/bin otherwise", () => {
  const bin = postgresBin({});
  expect(bin).toMatch(/^\/usr\/lib\/postgresql\/\d+\/bin$/);
  expect(existsSync(join(bin, "initdb"))).toBe(true);
  expect(existsSync(join(bin, "pg_ctl"))).toBe(true);
});
