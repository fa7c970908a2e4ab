import { describe, expect, it } from "vitest";
import { csvField, neutraliseCell, parseCsv, renderCsv, restoreCell } from "../../src/admin/csv.js";

describe("parseCsv", () => {
  it.each([
    [
      "a,b\n1,2\n",
      [
        [1, ["a", "b"]],
        [2, ["1", "2"]],
      ],
    ],
    [
      "a,b\r\n1,2\r\n",
      [
        [1, ["a", "b"]],
        [2, ["1", "2"]],
      ],
    ],
    [
      "a,b\r\n1,2",
      [
        [1, ["a", "b"]],
        [2, ["1", "2"]],
      ],
    ],
    ["\uFEFFa,b\n", [[1, ["a", "b"]]]],
    [
      "a\n\n\r\nb\n",
      [
        [1, ["a"]],
        [4, ["b"]],
      ],
    ],
    ['"x, y",z\n', [[1, ["x, y", "z"]]]],
    ['"say ""hi""",2\n', [[1, ['say "hi"', "2"]]]],
    [
      '"two\nlines",x\nnext\n',
      [
        [1, ["two\nlines", "x"]],
        [3, ["next"]],
      ],
    ],
    ['"two\r\nlines"\r\n', [[1, ["two\r\nlines"]]]],
    ["a,,c,\n", [[1, ["a", "", "c", ""]]]],
    ['"",x\n', [[1, ["", "x"]]]],
    [" spaced , kept \n", [[1, [" spaced ", " kept "]]]],
    ["", []],
  ])("reads %j", (text, expected) => {
    const result = parseCsv(text);
    expect(result).toEqual({
      ok: true,
      records: (expected as [number, string[]][]).map(([line, fields]) => ({ line, fields })),
    });
  });

  it.each([
    ['a,b"c\n', 1, 'a quote inside the unquoted field "b"'],
    ['ok\n"open,\n\n', 2, "a quoted field is never closed"],
    ['x\n"closed"late,1\n', 2, 'text after the closing quote of "closed"'],
  ])("refuses %j at line %i", (text, line, reason) => {
    const result = parseCsv(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.line).toBe(line);
      expect(result.reason).toContain(reason);
    }
  });
});

describe("renderCsv", () => {
  it.each([
    ["plain", "plain"],
    ["", ""],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ["cr\r", '"cr\r"'],
    [" lead", '" lead"'],
  ])("writes the field %j as %j", (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it("ends every record with CRLF and reads back what it wrote", () => {
    const rows = [
      ["badge", "name"],
      ["0F00A1B2C3", 'Anna "A", front\ndoor'],
      ["", ""],
    ];
    const text = renderCsv(rows);
    expect(text).toBe('badge,name\r\n0F00A1B2C3,"Anna ""A"", front\ndoor"\r\n,\r\n');
    const parsed = parseCsv(text);
    expect(parsed.ok && parsed.records.map((record) => record.fields)).toEqual(rows);
  });
});

describe("neutraliseCell (OWASP CSV injection)", () => {
  it.each([
    ["=1+2", "'=1+2"],
    ["+49 30 1234", "'+49 30 1234"],
    ["-anna@example.com", "'-anna@example.com"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tx", "'\tx"],
    ["\rx", "'\rx"],
    ["-", "'-"],
    ["-1+1", "'-1+1"],
    ["'=x", "''=x"],
    ["''+x", "'''+x"],
    ["-1.5", "-1.5"],
    ["-42", "-42"],
    ["0.02", "0.02"],
    ["Anna", "Anna"],
    ["'s Hertogenbosch", "'s Hertogenbosch"],
    ["a=b", "a=b"],
    ["", ""],
  ])("writes %j as %j, and reads it back", (value, neutralised) => {
    expect(neutraliseCell(value)).toBe(neutralised);
    expect(restoreCell(neutraliseCell(value))).toBe(value);
  });

  it("neutralises before quoting, so the quotes do not hide the formula", () => {
    expect(csvField("=1+2,3")).toBe(`"'=1+2,3"`);
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField("\tindented")).toBe("'\tindented");
  });
});
