import { lstatSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { saveSectionKeys } from "../../src/config/save-keys.js";
import { candidateDialects, dialectKeys } from "../../src/doctor/dialects.js";
import { tempDir } from "../helpers/temp.js";
import { loadedWith } from "./helpers.js";

const server = (settings: Record<string, unknown> = {}) =>
  loadedWith({ server: { loginEmail: "admin@gtsandbox.en", ...settings } }).config.server;

describe("candidateDialects", () => {
  it.each([
    {
      name: "v2.1 tries the formats with its documented field",
      settings: {},
      tried: ["iso-offset timetypeid", "iso-local timetypeid", "epoch-ms timetypeid"],
    },
    {
      name: "v1.1 tries both field names within each format, the configured first",
      settings: { apiVersion: "v1.1", timeFormat: "iso-local" },
      tried: [
        "iso-local timecategoryid",
        "iso-local timetypeid",
        "iso-offset timecategoryid",
        "iso-offset timetypeid",
        "epoch-ms timecategoryid",
        "epoch-ms timetypeid",
      ],
    },
    {
      name: "a configured pattern and field come first",
      settings: { apiVersion: "v1.1", timeFormat: "yyyy-MM-dd HH:mm", timeTypeField: "timetypeid" },
      tried: [
        "yyyy-MM-dd HH:mm timetypeid",
        "yyyy-MM-dd HH:mm timecategoryid",
        "iso-offset timetypeid",
        "iso-offset timecategoryid",
        "iso-local timetypeid",
        "iso-local timecategoryid",
        "epoch-ms timetypeid",
        "epoch-ms timecategoryid",
      ],
    },
  ])("$name", ({ settings, tried }) => {
    expect(
      candidateDialects(server(settings)).map((d) => `${d.timeFormat} ${d.timeTypeField}`),
    ).toEqual(tried);
  });

  it("pins the field only where the vendor's page is silent about it", () => {
    const found = { timeFormat: "iso-local", timeTypeField: "timetypeid" } as const;
    expect(dialectKeys(found, server())).toEqual({ timeFormat: "iso-local" });
    expect(dialectKeys(found, server({ apiVersion: "v1.1" }))).toEqual({
      timeFormat: "iso-local",
      timeTypeField: "timetypeid",
    });
    // A v2.1 site that named the other field gets the one the server took written over it.
    expect(dialectKeys(found, server({ timeTypeField: "timecategoryid" }))).toEqual({
      timeFormat: "iso-local",
      timeTypeField: "timetypeid",
    });
  });
});

describe("saveSectionKeys", () => {
  const now = new Date("2026-11-27T10:00:00Z");

  it("keeps a byte order mark and tab indentation, and edits the file a symlink points at", () => {
    const dir = tempDir();
    const real = join(dir, "real.json");
    writeFileSync(real, '\uFEFF{\n\t"server": {\n\t\t"timeFormat": "iso-offset"\n\t}\n}\n');
    const link = join(dir, "config.json");
    symlinkSync(real, link);
    const outcome = saveSectionKeys(link, "server", { timeFormat: "epoch-ms" }, now);
    expect(outcome).toEqual({
      kind: "saved",
      keys: ["timeFormat"],
      backup: `${real}.20261127T100000Z.bak`,
    });
    expect(readFileSync(real, "utf8")).toBe(
      '\uFEFF{\n\t"server": {\n\t\t"timeFormat": "epoch-ms"\n\t}\n}\n',
    );
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it("writes nothing, not even a backup, when the file already says so", () => {
    const dir = tempDir();
    const path = join(dir, "config.json");
    writeFileSync(path, '{ "server": { "timeTypeField": "timetypeid" } }\n');
    expect(saveSectionKeys(path, "server", { timeTypeField: "timetypeid" }, now)).toEqual({
      kind: "unchanged",
    });
    expect(readFileSync(path, "utf8")).toBe('{ "server": { "timeTypeField": "timetypeid" } }\n');
    expect(readdirSync(dir)).toEqual(["config.json"]);
  });
});
