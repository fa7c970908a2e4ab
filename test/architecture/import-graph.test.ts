import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The layering the code relies on, checked on every file of src/: the admin use cases know no
 * front end (no arrow from admin/ to cli/, no commander, no HTTP), and only store/ speaks SQL.
 */

const SRC = resolve("src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

interface SourceFile {
  /** Relative to src/, e.g. "admin/queue.ts". */
  name: string;
  text: string;
  /** What it imports: src-relative paths for local modules, package names otherwise. */
  imports: string[];
}

const files: SourceFile[] = sourceFiles(SRC).map((path) => {
  const text = readFileSync(path, "utf8");
  const imports = [...text.matchAll(/(?:from|import)\s+"([^"]+)"/g)].map(([, target = ""]) =>
    target.startsWith(".")
      ? relative(SRC, resolve(dirname(path), target)).replace(/\.js$/, ".ts")
      : target,
  );
  return { name: relative(SRC, path), text, imports };
});

const inside = (folder: string) => (file: SourceFile) => file.name.startsWith(`${folder}/`);

/** SQL in a string: statements and clauses in upper case, as this code base writes them. */
const SQL =
  /\b(SELECT\s+[\w*(]|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX|TRIGGER)|DROP\s+(TABLE|INDEX)|PRAGMA\s+\w)/;
/** Driver calls that carry SQL or open a transaction. */
const DRIVER = /\.(prepare|pragma|transaction)\(/;

describe("the import graph", () => {
  it("has files to check", () => {
    expect(files.filter(inside("admin")).length).toBeGreaterThan(10);
    expect(files.filter(inside("store")).length).toBeGreaterThan(8);
  });

  it("has no arrow from admin/ to cli/, and admin/ knows neither commander nor HTTP", () => {
    const offending = files
      .filter(inside("admin"))
      .flatMap((file) =>
        file.imports
          .filter(
            (target) =>
              target.startsWith("cli/") ||
              ["commander", "got", "node:http", "node:https"].includes(target),
          )
          .map((target) => `${file.name} -> ${target}`),
      );
    expect(offending).toEqual([]);
  });

  it("keeps SQL and the SQLite driver in store/", () => {
    const offending = files
      .filter((file) => !inside("store")(file))
      .flatMap((file) => {
        const found: string[] = [];
        if (file.imports.includes("better-sqlite3"))
          found.push(`${file.name} imports better-sqlite3`);
        file.text.split("\n").forEach((line, i) => {
          if (SQL.test(line) || DRIVER.test(line))
            found.push(`${file.name}:${i + 1}: ${line.trim()}`);
        });
        return found;
      });
    expect(offending).toEqual([]);
  });

  it("would see SQL or an admin-to-cli arrow if there were one", () => {
    expect(SQL.test('db.get("SELECT email FROM badges")')).toBe(true);
    expect(SQL.test("`UPDATE entries SET state = 'x'`")).toBe(true);
    expect(SQL.test("select the badge to remove")).toBe(false);
    expect(DRIVER.test('db.prepare("x")')).toBe(true);
    const admin = files.find((file) => file.name === "admin/queue.ts");
    expect(admin?.imports).toContain("store/outbox.ts");
  });
});
