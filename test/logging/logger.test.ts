import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/core/logger.js";

/** The root logger's redaction, by the shapes the parts log. */

const SECRET = "s3cret-Value_9";

function logged(fields: object, redactBadges: boolean): Record<string, unknown> {
  const lines: string[] = [];
  const logger = createLogger(
    { level: "info", redactBadges },
    { write: (line: string) => void lines.push(line) },
  );
  logger.child({ part: "test" }).info(fields, "line");
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0] ?? "") as Record<string, unknown>;
}

describe("createLogger", () => {
  it.each<[object, string]>([
    [{ password: SECRET }, "password"],
    [{ apiPassword: SECRET }, "apiPassword"],
    [{ apipassword: SECRET }, "apipassword"],
    [{ token: SECRET }, "token"],
    [{ authorization: `Bearer ${SECRET}` }, "authorization"],
    [{ options: { apiPassword: SECRET } }, "options.apiPassword"],
    [{ login: { password: SECRET, token: SECRET } }, "login.password and login.token"],
    [{ headers: { authorization: `Bearer ${SECRET}` } }, "headers.authorization"],
    [{ request: { Authorization: `Bearer ${SECRET}` } }, "request.Authorization"],
  ])("always censors %o (%s), with or without badge redaction", (fields, _path) => {
    for (const redactBadges of [false, true]) {
      const line = logged(fields, redactBadges);
      expect(JSON.stringify(line)).not.toContain(SECRET);
      expect(JSON.stringify(line)).toContain("[redacted]");
    }
  });

  it.each([
    [{ badge: "0F00A1B2C3" }, { badge: "[redacted]" }],
    [
      { badgeId: "0F00A1B2C3", knownBits: 40 },
      { badgeId: "[redacted]", knownBits: 40 },
    ],
    [{ badge: { raw: "0F00A1B2", reason: "checksum" } }, { badge: "[redacted]" }],
    [{ tap: { badge: "0F00A1B2C3" } }, { tap: { badge: "[redacted]" } }],
    [{ read: { badgeId: "0F00A1B2C3" } }, { read: { badgeId: "[redacted]" } }],
  ])("with log.redactBadges, censors %o", (fields, expected) => {
    expect(logged(fields, true)).toMatchObject(expected);
    expect(JSON.stringify(logged(fields, true))).not.toContain("0F00A1B2");
  });

  it("keeps badge IDs when log.redactBadges is off", () => {
    expect(logged({ badge: "0F00A1B2C3", badgeId: "0F00A1B2C4" }, false)).toMatchObject({
      badge: "0F00A1B2C3",
      badgeId: "0F00A1B2C4",
    });
  });

  it("leaves other fields alone", () => {
    expect(
      logged({ tapId: 7, outcome: "clock-in", user: "anna@x.en", entryId: "e1" }, true),
    ).toMatchObject({ tapId: 7, outcome: "clock-in", user: "anna@x.en", entryId: "e1" });
  });
});
