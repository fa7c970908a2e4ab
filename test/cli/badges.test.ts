import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../../src/core/exit-codes.js";
import { AdminEventLog } from "../../src/store/admin-events.js";
import { harness, badgeListJson as listJson, withoutNote } from "../admin/cli-harness.js";
import { tapper } from "../admin/seed.js";

const ANNA = "anna@example.com";

describe("timeclock badges add, list, remove", () => {
  it("normalises the badge and the email, and records the change", async () => {
    const h = harness();
    const added = await h.cli(
      "badges",
      "add",
      "0f:00:a1:b2:c3",
      " Anna@Example.COM ",
      "--name",
      "Anna's card",
      "--project",
      "p1",
    );
    expect(added).toMatchObject({
      code: 0,
      stdout: "added badge 0F00A1B2C3 -> anna@example.com\n",
    });
    expect(await listJson(h)).toMatchObject([
      {
        badgeId: "0F00A1B2C3",
        knownBits: 40,
        email: ANNA,
        name: "Anna's card",
        timeTypeId: null,
        projectId: "p1",
      },
    ]);
    const changed = await h.cli("badges", "add", "0F00A1B2C3", "ben@example.com");
    expect(changed.stdout).toBe("updated badge 0F00A1B2C3: anna@example.com -> ben@example.com\n");
    const events = new AdminEventLog(h.openDb()).list();
    expect(events.map(({ action, subject }) => [action, subject])).toEqual([
      ["badge.add", "0F00A1B2C3"],
      ["badge.update", "0F00A1B2C3"],
    ]);
    expect(events[1]?.detail).toMatchObject({ email: "ben@example.com", previousEmail: ANNA });
  });

  it.each([
    [["0000000000", ANNA], "ghost ID"],
    [["FFFFFFFFFF", ANNA], "ghost ID"],
    [["0F00A1B2", ANNA], 'badge "0F00A1B2" is not a badge ID'],
    [["0F00A1B2C3", "anna.example.com"], 'email "anna.example.com" is not an email address'],
    [["256,1", ANNA], "facility 256; allowed 0 to 255"],
  ])("refuses %j as a usage error naming the value", async (argv, message) => {
    const h = harness();
    const result = await h.cli("badges", "add", ...argv);
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain(message);
    expect(await listJson(h)).toEqual([]);
  });

  it("resolves a partial form to the one full ID seen at the reader, and stops listing it as unknown", async () => {
    const h = harness();
    const tap = tapper(h.openDb(), h.clock);
    tap("0F00A1B2C3");
    h.clock.advance(3_600_000);
    tap("0F00A1B2C3");
    const unknown = await h.cli("badges", "unknown", "--json");
    expect(JSON.parse(unknown.stdout)).toEqual([
      {
        badgeId: "0F00A1B2C3",
        knownBits: 40,
        taps: 2,
        firstAt: "2026-03-10T12:00:00.000Z",
        lastAt: "2026-03-10T13:00:00.000Z",
        text: "0F00A1B2C3",
      },
    ]);
    const table = await h.cli("badges", "unknown");
    expect(table.stdout).toContain("2026-03-10 13:00 +01:00");
    expect(table.stdout).toContain("2026-03-10 14:00 +01:00");

    const added = await h.cli("badges", "add", "--digits", "dec10", "0010597059", ANNA);
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('"0010597059" matched the known full ID 0F00A1B2C3');
    expect(await listJson(h)).toMatchObject([{ badgeId: "0F00A1B2C3", knownBits: 40 }]);
    expect((await h.cli("badges", "unknown")).stdout).toBe("(none)\n");
  });

  it("stores a partial ID with its known bits when no full ID is known, and a tap matches it", async () => {
    const h = harness();
    const added = await h.cli("badges", "add", "161,45763", ANNA);
    expect(added.stdout).toContain("stored as a partial ID");
    expect(await listJson(h)).toMatchObject([
      { badgeId: "0000A1B2C3", knownBits: 24, text: "161,45763" },
    ]);
    const tap = tapper(h.openDb(), h.clock);
    expect(tap("0F00A1B2C3")).toMatchObject({ outcome: "clock-in", email: ANNA });
  });

  it("is seen by a connection the daemon already holds, at the next tap", async () => {
    const h = harness();
    const tap = tapper(h.openDb(), h.clock);
    expect(tap("0F00A1B2C3").outcome).toBe("refused");
    expect((await h.cli("badges", "add", "0F00A1B2C3", ANNA)).code).toBe(0);
    h.clock.advance(120_000);
    expect(tap("0F00A1B2C3")).toMatchObject({ outcome: "clock-in", email: ANNA });
    expect((await h.cli("badges", "remove", "0F00A1B2C3")).code).toBe(0);
    h.clock.advance(120_000);
    expect(tap("0F00A1B2C3").outcome).toBe("refused");
  });

  it("removes a mapping by any of its forms and refuses an unmapped badge as not found", async () => {
    const h = harness();
    await h.cli("badges", "add", "0F00A1B2C3", ANNA);
    const missing = await h.cli("badges", "remove", "0F00A1B2C4");
    expect(missing.code).toBe(ExitCode.notFound);
    expect(missing.stderr).toContain('badge "0F00A1B2C4" is not mapped');
    const removed = await h.cli("badges", "remove", "161,45763");
    expect(removed).toMatchObject({ code: 0, stdout: `removed badge 0F00A1B2C3 (${ANNA})\n` });
    expect(await listJson(h)).toEqual([]);
    expect(new AdminEventLog(h.openDb()).list().at(-1)).toMatchObject({
      action: "badge.remove",
      subject: "0F00A1B2C3",
      detail: { email: ANNA },
    });
  });

  it("refuses to guess which of several mappings a partial ID means", async () => {
    const h = harness();
    await h.cli("badges", "add", "0F00A1B2C3", ANNA);
    await h.cli("badges", "add", "1100A1B2C3", "ben@example.com");
    const result = await h.cli("badges", "remove", "161,45763");
    expect(result.code).toBe(ExitCode.conflict);
    expect(result.stderr).toContain("matches several mappings (0F00A1B2C3 anna@example.com");
    expect(await listJson(h)).toHaveLength(2);
  });

  it("keeps a partial ID that matches several known badges partial, and warns of the overlap", async () => {
    const h = harness();
    await h.cli("badges", "add", "0F00A1B2C3", ANNA);
    await h.cli("badges", "add", "1100A1B2C3", "ben@example.com");
    const result = await h.cli("badges", "add", "161,45763", "clara@example.com");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("stored as a partial ID");
    const warnings = withoutNote(result.stderr).trim().split("\n");
    expect(warnings).toEqual([
      expect.stringContaining(
        "warning: badge …A1B2C3 (low 24 bits) shares its known bits with the mapping 0F00A1B2C3 (anna@example.com)",
      ),
      expect.stringContaining("with the mapping 1100A1B2C3 (ben@example.com)"),
    ]);
    expect((await listJson(h)).map((badge) => badge.badgeId).sort()).toEqual([
      "0000A1B2C3",
      "0F00A1B2C3",
      "1100A1B2C3",
    ]);
  });

  it("has a description and --help on every subcommand", async () => {
    const h = harness();
    for (const sub of ["add", "edit", "list", "remove", "import", "export", "unknown"]) {
      const help = await h.cli("badges", sub, "--help");
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`Usage: timeclock badges ${sub}[^\\n]*\\n\\n\\w`));
    }
  });
});

describe("timeclock badges import and export", () => {
  const write = (h: ReturnType<typeof harness>, text: string) => {
    const path = join(h.dir, "badges.csv");
    writeFileSync(path, text);
    return path;
  };

  it("imports a spreadsheet's CSV: BOM, CRLF, quoted commas, quotes and blank lines", async () => {
    const h = harness();
    const file = write(
      h,
      '\uFEFFbadge,email,name,timeTypeId,projectId\r\n0F00A1B2C3,Anna@Example.com,"Schmidt, Anna",,p1\r\n\r\n"161,45764",ben@example.com,"Ben ""the key"" Meyer",tt2,\r\n',
    );
    const result = await h.cli("badges", "import", file);
    expect(withoutNote(result.stderr)).toBe("");
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain("imported 2 badges");
    expect(await listJson(h)).toMatchObject([
      {
        badgeId: "0F00A1B2C3",
        email: ANNA,
        name: "Schmidt, Anna",
        timeTypeId: null,
        projectId: "p1",
      },
      {
        badgeId: "0000A1B2C4",
        knownBits: 24,
        email: "ben@example.com",
        name: 'Ben "the key" Meyer',
        timeTypeId: "tt2",
      },
    ]);
    expect(new AdminEventLog(h.openDb()).list()).toHaveLength(2);
  });

  it("reports every bad line and writes nothing", async () => {
    const h = harness();
    await h.cli("badges", "add", "1234ABCDEF", "keep@example.com");
    const file = write(
      h,
      [
        "badge,email,name,timeTypeId,projectId",
        "0F00A1B2C3,anna@example.com,,,",
        "0000000000,ben@example.com,,,",
        "0F00A1B2C4,not-an-email,,,",
        '"161,45763",clara@example.com,,',
        "0F00A1B2C5,deniz@example.com,a,b,c,d",
        "",
      ].join("\n"),
    );
    const result = await h.cli("badges", "import", file);
    expect(result.code).toBe(ExitCode.badInput);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toEqual([
      expect.stringMatching(/^.*badges\.csv: line 3: badge "0000000000" is a ghost ID/),
      expect.stringMatching(/line 4: email "not-an-email" is not an email address/),
      expect.stringMatching(
        /line 5: badge "161,45763" is the same badge as "0F00A1B2C3" on line 2; each badge may appear once/,
      ),
      expect.stringMatching(/line 6: has 6 fields; expected at most 5/),
      expect.stringMatching(/import of ".*badges\.csv" refused: 4 bad lines; nothing was written/),
    ]);
    expect((await listJson(h)).map((badge) => badge.email)).toEqual(["keep@example.com"]);
  });

  it.each([
    ["email,badge\nanna@example.com,0F00A1B2C3\n", 'line 1: the header is "email,badge"'],
    ["", "the file is empty"],
    [
      'badge,email,name,timeTypeId,projectId\n0F00A1B2C3,"anna@example.com\n',
      "line 2: a quoted field is never closed",
    ],
  ])("refuses the file %j as a whole", async (text, message) => {
    const h = harness();
    const result = await h.cli("badges", "import", write(h, text));
    expect(result.code).toBe(ExitCode.badInput);
    expect(result.stderr).toContain(message);
  });

  it("names a file it cannot read", async () => {
    const h = harness();
    const result = await h.cli("badges", "import", join(h.dir, "missing.csv"));
    expect(result.code).toBe(ExitCode.noInput);
    expect(result.stderr).toContain('missing.csv" (ENOENT)');
  });

  it("checks without writing on --dry-run", async () => {
    const h = harness();
    await h.cli("badges", "add", "0F00A1B2C3", ANNA);
    const file = write(
      h,
      "badge,email,name,timeTypeId,projectId\n0F00A1B2C3,ben@example.com\n1100A1B2C3,clara@example.com\n",
    );
    const result = await h.cli("badges", "import", "--dry-run", file);
    expect(result.stdout).toContain("1 to add, 1 to update (dry run, nothing written)");
    expect((await listJson(h)).map((badge) => badge.email)).toEqual([ANNA]);
  });

  it("exports a CSV that imports back to the same mapping, partial IDs included", async () => {
    const source = harness();
    await source.cli("badges", "add", "0F00A1B2C3", ANNA, "--name", 'Anna "A", front');
    await source.cli("badges", "add", "--digits", "dec10", "0012345678", "ben@example.com");
    await source.cli("badges", "add", "--digits", "hex10", "0012345678", "clara@example.com");
    await source.cli(
      "badges",
      "add",
      "7,1234",
      "deniz@example.com",
      "--time-type",
      "tt",
      "--project",
      "pp",
    );
    const out = join(source.dir, "export.csv");
    expect((await source.cli("badges", "export", "--out", out)).code).toBe(0);
    const csv = readFileSync(out, "utf8");
    expect(csv).toBe(
      [
        "badge,email,name,timeTypeId,projectId",
        '0F00A1B2C3,anna@example.com,"Anna ""A"", front",,',
        "0012345678,ben@example.com,,,",
        "0x0012345678,clara@example.com,,,",
        '"7,1234",deniz@example.com,,tt,pp',
        "",
      ].join("\r\n"),
    );
    const target = harness();
    const imported = await target.cli("badges", "import", "--digits", "dec10", out);
    expect(imported.code).toBe(0);
    const strip = (list: Awaited<ReturnType<typeof listJson>>) =>
      list.map(({ badgeId, knownBits, email, name, timeTypeId, projectId }) => ({
        badgeId,
        knownBits,
        email,
        name,
        timeTypeId,
        projectId,
      }));
    expect(strip(await listJson(target))).toEqual(strip(await listJson(source)));
    expect((await target.cli("badges", "export")).stdout).toBe(csv);
  });
});
