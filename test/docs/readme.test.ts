import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { configReferenceMarkdown } from "../../src/config/reference.js";

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
      Record<string, unknown>
    >;
    for (const [section, keys] of Object.entries(example)) {
      for (const key of Object.keys(keys)) {
        const pattern = new RegExp(`\`${section}(?: \\(type "[a-z]+"\\))?\\.${key}\``);
        expect(readme, `${section}.${key}`).toMatch(pattern);
      }
    }
  });
});
