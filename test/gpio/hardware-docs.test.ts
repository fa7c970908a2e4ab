import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { feedbackSchema } from "../../src/gpio/config-schema.js";

/** The technicians' pages must show the pins the software uses. */

/** Physical header pin of each BCM GPIO on the 40-pin header (same on every 40-pin Pi). */
const HEADER_PIN: Record<number, number> = {
  2: 3,
  3: 5,
  4: 7,
  14: 8,
  15: 10,
  17: 11,
  18: 12,
  27: 13,
  22: 15,
  23: 16,
  24: 18,
  10: 19,
  9: 21,
  25: 22,
  11: 23,
  8: 24,
  7: 26,
  5: 29,
  6: 31,
  12: 32,
  13: 33,
  19: 35,
  16: 36,
  26: 37,
  20: 38,
  21: 40,
};

const readme = readFileSync("hardware/README.md", "utf8");
const svg = readFileSync("hardware/wiring.svg", "utf8");
const example = JSON.parse(readFileSync("config.example.json", "utf8"));
const defaults = feedbackSchema.parse({});

function readmeRow(configKey: string): { bcm: number; pin: number } {
  const row = readme.split("\n").find((line) => line.includes(`\`${configKey}\``));
  const cells = row?.split("|").map((cell) => cell.trim()) ?? [];
  return { bcm: Number(cells[3]), pin: Number(cells[4]) };
}

describe("hardware documentation", () => {
  it.each([
    ["feedback.green.bcm", defaults.green?.bcm],
    ["feedback.red.bcm", defaults.red?.bcm],
    ["feedback.buzzer.bcm", defaults.buzzer?.bcm],
    ["feedback.amber.bcm", example.feedback.amber.bcm],
  ])("README lists %s as the config's pin %i on its header pin", (key, bcm) => {
    expect(bcm).toBeTypeOf("number");
    expect(readmeRow(key)).toEqual({ bcm, pin: HEADER_PIN[bcm as number] });
  });

  it.each([
    ["green", defaults.green?.bcm],
    ["red", defaults.red?.bcm],
    ["buzzer", defaults.buzzer?.bcm],
    ["amber", example.feedback.amber.bcm],
  ])("wiring.svg's legend gives the %s pin", (part, bcm) => {
    const row = new RegExp(
      `${part}[^<]*</text>\\s*<text[^>]*>GPIO${bcm}</text>\\s*<text[^>]*>pin ${HEADER_PIN[bcm as number]}</text>`,
    );
    expect(svg).toMatch(row);
  });

  it("README's key example uses the pins the wiring shows", () => {
    const keys = JSON.parse(
      readme
        .split("```json")[1]
        ?.split("```")[0]
        ?.replace(/^\s*"keys":/, "") ?? "[]",
    );
    expect(feedbackSchema.parse({ keys }).keys.map((key) => [key.name, key.bcm])).toEqual([
      ["in", 5],
      ["out", 6],
      ["break", 13],
    ]);
    expect(svg).toContain("GPIO5 / 6 / 13</text>");
  });
});
