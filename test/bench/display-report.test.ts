import { describe, expect, it } from "vitest";
import type { DisplayKind, DisplayScenarioResult } from "../../bench/display-latency.js";
import { displayTargets } from "../../bench/display-report.js";
import { summarize } from "../../bench/stats.js";

/** The display benchmark's verdicts: ratios against the better no-display run, within its noise. */

function run(display: DisplayKind, p99: number, kiosk?: number): DisplayScenarioResult {
  return {
    name: display,
    display,
    taps: summarize([1, p99]),
    kioskEvents: kiosk === undefined ? null : summarize([1, kiosk]),
    busWrites: 0,
    busBusyMs: 0,
  };
}

const met = (targets: ReturnType<typeof displayTargets>, figure: string) =>
  targets.find((target) => target.figure.includes(figure));

describe("displayTargets", () => {
  it("allows 1.5 times the better baseline when the two baselines agree", () => {
    const targets = displayTargets([run("none", 10), run("slow-lcd", 15), run("none", 11)]);
    expect(met(targets, "baseline noise")?.value).toBe("1.1 x");
    expect(met(targets, "slow-lcd")).toMatchObject({
      value: "1.5 x",
      target: "<= 1.5 (noise)",
      met: true,
    });
  });

  it("fails a display that moves the tap p99 beyond the noise", () => {
    const targets = displayTargets([run("none", 10), run("slow-lcd", 16), run("none", 10)]);
    expect(met(targets, "slow-lcd")).toMatchObject({ value: "1.6 x", met: false });
  });

  it("widens the allowance to the noise of a loaded machine, and reports the kiosk's event latency", () => {
    const targets = displayTargets([run("none", 10), run("kiosk", 30, 28.44), run("none", 40)]);
    expect(met(targets, "kiosk")).toMatchObject({
      value: "3 x",
      target: "<= 4 (noise)",
      met: true,
    });
    expect(met(targets, "screen event")).toMatchObject({ value: "28.4 ms", target: "(measured)" });
  });
});
