import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram, programVersion } from "../../src/cli/program.js";
import { ExitCode } from "../../src/core/exit-codes.js";
import { BadgeRepository } from "../../src/store/badges.js";
import { Outbox } from "../../src/store/outbox.js";
import { harness, withoutNote } from "../admin/cli-harness.js";
import { tapper } from "../admin/seed.js";
import { runCaptured } from "../helpers/cli.js";

/** The traps a new admin fell into, each through the real CLI on a real database. */

const HOUR = 3_600_000;
const ANNA = "0F00A1B2C3";
const BEN = "1100A1B2C4";
const REFUSAL = { message: "422 project not assigned to this user", code: "GT_REFUSED" };

/** Anna and Ben each with one finished shift that GoodTime refused. */
function refusedShifts() {
  const h = harness({ now: "2026-03-10T07:00:00Z" });
  const db = h.openDb();
  const badges = new BadgeRepository(db, h.clock);
  badges.put({ badgeId: ANNA, knownBits: 40, email: "anna@example.com", projectId: "p-old" });
  badges.put({ badgeId: BEN, knownBits: 40, email: "ben@example.com" });
  const tap = tapper(db, h.clock);
  tap(ANNA);
  tap(BEN);
  h.clock.advance(8 * HOUR);
  const anna = tap(ANNA).entry?.id ?? "";
  const ben = tap(BEN).entry?.id ?? "";
  const outbox = new Outbox(db);
  outbox.markRefused(anna, REFUSAL, h.clock.now());
  outbox.markRefused(ben, REFUSAL, h.clock.now());
  return { h, badges, outbox, anna, ben };
}

describe("retry books with what is true now", () => {
  it("takes the badge's current mapping, not the one of the clock-out", async () => {
    const { h, badges, outbox, anna } = refusedShifts();
    badges.put({ badgeId: ANNA, knownBits: 40, email: "anna.s@example.com", projectId: "p-new" });
    const result = await h.cli("retry", anna);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "booked as now mapped: email anna@example.com -> anna.s@example.com, projectId p-old -> p-new",
    );
    expect(outbox.get(anna)).toMatchObject({
      state: "pending",
      email: "anna.s@example.com",
      projectId: "p-new",
      timeTypeId: "work",
    });
  });

  it("changes only the fields `badges edit` names, and the next retry books with them", async () => {
    const { h, outbox, anna } = refusedShifts();
    const edit = await h.cli("badges", "edit", ANNA, "--project", "p-new", "--name", "Anna S.");
    expect(edit.code).toBe(0);
    expect(edit.stdout).toBe(
      `changed badge ${ANNA}: anna@example.com, name Anna S., time type (entry.timeTypeId), project p-new\n`,
    );
    expect((await h.cli("badges", "edit", ANNA)).code).toBe(ExitCode.usage);
    expect((await h.cli("badges", "edit", "2200A1B2C5", "--name", "x")).code).toBe(
      ExitCode.notFound,
    );
    expect((await h.cli("retry", anna)).code).toBe(0);
    expect(outbox.get(anna)).toMatchObject({ email: "anna@example.com", projectId: "p-new" });
  });

  it("keeps what `queue edit` set over the mapping, in later retries too", async () => {
    const { h, badges, outbox, anna } = refusedShifts();
    const edit = await h.cli("queue", "edit", anna, "--email", "Clara@Example.com", "--no-project");
    expect(edit.code).toBe(0);
    expect(edit.stdout).toBe(
      `entry ${anna} is pending, to be booked for clara@example.com, time type work, project none\n`,
    );
    expect(outbox.get(anna)).toMatchObject({ email: "clara@example.com", projectId: null });
    // Refused once more; meanwhile the badge got a new project. The admin's choice still wins.
    outbox.markRefused(anna, REFUSAL, h.clock.now());
    badges.put({ badgeId: ANNA, knownBits: 40, email: "anna@example.com", projectId: "p-new" });
    expect((await h.cli("queue", "retry", anna)).code).toBe(0);
    expect(outbox.get(anna)).toMatchObject({
      state: "pending",
      email: "clara@example.com",
      projectId: null,
    });
    const listed = JSON.parse((await h.cli("queue", "--json")).stdout);
    expect(listed.find((entry: { id: string }) => entry.id === anna).override).toEqual({
      email: "clara@example.com",
      projectId: null,
    });
  });

  it("leaves an entry whose badge is no longer mapped refused, and says why", async () => {
    const { h, badges, outbox, anna, ben } = refusedShifts();
    badges.remove(BEN);
    const one = await h.cli("retry", ben);
    expect(one.code).toBe(ExitCode.conflict);
    expect(one.stderr).toContain(`its badge ${BEN} is not mapped any more`);
    const all = await h.cli("retry", "--all-refused");
    expect(all.code).toBe(ExitCode.conflict);
    expect(all.stdout).toContain("1 entry put back in line");
    expect(all.stderr).toContain(`warning: entry ${ben} stays refused`);
    expect(outbox.get(anna)?.state).toBe("pending");
    expect(outbox.get(ben)?.state).toBe("refused");
  });
});

describe("queue and audit tell the whole story", () => {
  it("shows the server's reason in full, wrapped within 80 columns", async () => {
    const { h, outbox, anna } = refusedShifts();
    const reason = `422 ${"the project Workshop is not assigned to anna@example.com; ".repeat(4)}assign it in GoodTime`;
    outbox.markRefused(anna, { message: reason, code: "GT_REFUSED" }, h.clock.now());
    const result = await h.cli("queue", "--state", "refused");
    const details = result.stdout.split("\n").filter((line) => line.startsWith("    "));
    expect(details.length).toBeGreaterThan(2);
    expect(details.every((line) => line.length <= 80)).toBe(true);
    expect(result.stdout.replace(/\s+/g, " ")).toContain(`last error: ${reason} [GT_REFUSED]`);
  });

  it("reads back every admin action and discard reason, as text and as JSON", async () => {
    const { h, anna, ben } = refusedShifts();
    await h.cli("queue", "edit", anna, "--project", "p-9");
    await h.cli("discard", ben, "--reason", "booked by hand in GoodTime");
    await h.cli("badges", "add", "2200A1B2C5", "clara@example.com");
    const json = JSON.parse((await h.cli("audit", "--json")).stdout);
    expect(json.map((event: { action: string }) => event.action)).toEqual([
      "entry.edit",
      "entry.discard",
      "badge.add",
    ]);
    expect(json[1]).toMatchObject({
      subject: ben,
      detail: { reason: "booked by hand in GoodTime", previousState: "refused" },
    });
    const text = await h.cli("audit", "--subject", ben);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("entry.discard");
    expect(text.stdout).toContain("reason booked by hand in GoodTime; previousState refused");
    expect(text.stdout).not.toContain("entry.edit");
  });
});

describe("a ten-digit badge is never guessed", () => {
  it("asks with both readings when the terminal has seen neither, and writes nothing", async () => {
    const h = harness();
    const result = await h.cli("badges", "add", "0010597059", "anna@example.com");
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain("as the hex ID 0010597059");
    expect(result.stderr).toContain("the decimal printed on the card, …00A1B2C3 (low 32 bits)");
    expect(result.stderr).toContain("--digits dec10");
    expect(JSON.parse((await h.cli("badges", "list", "--json")).stdout)).toEqual([]);
  });

  it("reads it the one way the terminal has seen, and says so", async () => {
    const h = harness();
    tapper(h.openDb(), h.clock)(ANNA);
    const result = await h.cli("badges", "add", "0010597059", "anna@example.com");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "read as the card decimal because the terminal knows 0F00A1B2C3",
    );
    expect(result.stdout).toContain(`matched the known full ID ${ANNA}`);
    expect(JSON.parse((await h.cli("badges", "list", "--json")).stdout)).toMatchObject([
      { badgeId: ANNA, knownBits: 40 },
    ]);
  });
});

describe("--version", () => {
  /** Every command path of the program, e.g. ["badges", "add"]. */
  function paths(command: Command, prefix: string[] = []): string[][] {
    return command.commands.flatMap((sub) => {
      const path = [...prefix, sub.name()];
      return [path, ...paths(sub, path)];
    });
  }

  it("prints the version on the program and on every command", async () => {
    const program = await buildProgram({ env: {}, stdout: process.stdout, stderr: process.stderr });
    const all = [[], ...paths(program)];
    expect(all.length).toBeGreaterThan(30);
    for (const path of all) {
      const result = await runCaptured([...path, "--version"]);
      expect(result, path.join(" ")).toMatchObject({
        code: 0,
        stdout: `timeclock ${programVersion()}\n`,
      });
    }
    expect(programVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe("exit codes keep one meaning", () => {
  it("refuses a bad CSV line with 80, not with 65 (GoodTime refused)", async () => {
    const h = harness();
    const file = join(h.dir, "badges.csv");
    writeFileSync(file, "badge,email,name,timeTypeId,projectId\nnot-a-badge,anna@example.com\n");
    const result = await h.cli("badges", "import", file);
    expect(result.code).toBe(ExitCode.badInput);
    expect(ExitCode.badInput).not.toBe(ExitCode.refused);
    expect(withoutNote(result.stderr)).toContain("line 2: badge");
  });
});
