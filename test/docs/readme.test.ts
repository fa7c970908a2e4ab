import { readFileSync } from "node:fs";
import { PassThrough } from "node:stream";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli/program.js";
import { configReferenceMarkdown } from "../../src/config/reference.js";
import { EXIT_CODES, exitCodesMarkdown } from "../../src/core/exit-codes.js";

const program = await buildProgram({
  env: {},
  stdout: new PassThrough(),
  stderr: new PassThrough(),
});

const readme = readFileSync("README.md", "utf8");

describe("README", () => {
  it("carries the configuration reference made from the schema (npm run docs rewrites it)", () => {
    const start = readme.indexOf("<!-- config-reference:start -->");
    const end = readme.indexOf("<!-- config-reference:end -->");
    const documented = readme.slice(start, end).split("\n").slice(1).join("\n").trim();
    expect(documented).toBe(configReferenceMarkdown());
  });

  it("documents every key of config.example.json", () => {
    const example = JSON.parse(readFileSync("config.example.json", "utf8")) as Record<
      string,
      Record<string, unknown> | null
    >;
    for (const [section, keys] of Object.entries(example)) {
      // A section that is off by default (site) is null in the example; the README still lists it.
      if (keys === null) {
        expect(readme, section).toContain(`| \`${section}\` |`);
        continue;
      }
      for (const key of Object.keys(keys)) {
        const pattern = new RegExp(`\`${section}(?: \\(type "[a-z]+"\\))?\\.${key}\``);
        expect(readme, `${section}.${key}`).toMatch(pattern);
      }
    }
  });
});

describe("README's exit codes and admin guide", () => {
  it("carries the exit-code table made from src/core/exit-codes.ts (npm run docs rewrites it)", () => {
    const start = readme.indexOf("<!-- exit-codes:start -->");
    const end = readme.indexOf("<!-- exit-codes:end -->");
    expect(start).toBeGreaterThan(0);
    const documented = readme.slice(start, end).split("\n").slice(1).join("\n").trim();
    expect(documented).toBe(exitCodesMarkdown());
  });

  it("gives every exit code one meaning", () => {
    const codes = Object.values(EXIT_CODES).map((entry) => entry.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  const guide = readme.slice(
    readme.indexOf("## Admin guide"),
    readme.indexOf("## Troubleshooting"),
  );
  /** The command a `timeclock ...` line names, walked down the program's tree. */
  function commandOf(words: readonly string[]): { command: Command; rest: string[] } {
    let command = program;
    let i = 0;
    for (; i < words.length; i++) {
      const sub = command.commands.find((candidate) => candidate.name() === words[i]);
      if (!sub) break;
      command = sub;
    }
    return { command, rest: words.slice(i) };
  }

  const documented = [...guide.matchAll(/(?:^|`)timeclock ((?:[a-z-]+ ?)+)([^`\n#]*)/gm)].map(
    (match) => ({
      line: match[0],
      words: (match[1] ?? "").trim().split(" "),
      tail: match[2] ?? "",
    }),
  );

  it("names only commands and options that exist", () => {
    expect(documented.length).toBeGreaterThan(15);
    for (const { line, words, tail } of documented) {
      const { command } = commandOf(words);
      expect(command, line).not.toBe(program);
      const options = [...`${words.join(" ")} ${tail}`.matchAll(/--[a-z-]+/g)].map((m) => m[0]);
      const known = command.options.flatMap((option) => [
        option.long,
        option.negate ? option.long : undefined,
      ]);
      for (const option of options) expect(known, `${line}: ${option}`).toContain(option);
    }
  });

  it("documents every admin command", () => {
    const admin = ["badges", "status", "queue", "retry", "discard", "review", "audit", "export"];
    const paths = admin.flatMap((name) => {
      const command = program.commands.find((candidate) => candidate.name() === name);
      if (!command) throw new Error(`no command ${name}`);
      return [name, ...command.commands.map((sub) => `${name} ${sub.name()}`)];
    });
    for (const path of paths) expect(guide, path).toContain(`timeclock ${path}`);
  });
});
