import type { Row } from "../src/cli/output.js";
import type { DisplayScenarioResult } from "./display-latency.js";

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

export function displayRows(results: readonly DisplayScenarioResult[]): Row[] {
  return results.map((r) => ({
    scenario: r.name,
    taps: r.taps.count,
    "tap p50 ms": round(r.taps.p50, 1),
    "tap p99 ms": round(r.taps.p99, 1),
    "tap max ms": round(r.taps.max, 1),
    "kiosk event p50/p99/max ms": r.kioskEvents
      ? `${round(r.kioskEvents.p50, 1)}/${round(r.kioskEvents.p99, 1)}/${round(r.kioskEvents.max, 1)}`
      : "-",
    "bus writes (busy s)":
      r.display === "slow-lcd" ? `${r.busWrites} (${round(r.busBusyMs / 1000, 1)})` : "-",
  }));
}

export interface DisplayTarget {
  figure: string;
  value: string;
  target: string;
  met: boolean;
}

/**
 * Ratios against the no-display baseline. The noise is how far the two baseline runs differ; a
 * display must not move the tap p99 beyond it (or 1.5, when the runs agree better than that).
 */
export function displayTargets(results: readonly DisplayScenarioResult[]): DisplayTarget[] {
  const off = results.filter((r) => r.display === "none");
  const baseline = Math.min(...off.map((r) => r.taps.p99));
  const noise = Math.max(...off.map((r) => r.taps.p99)) / baseline;
  const allowed = Math.max(1.5, noise);
  const targets: DisplayTarget[] = [
    {
      figure: "baseline noise: tap p99 of the two no-display runs, larger over smaller",
      value: `${round(noise)} x`,
      target: "(measured)",
      met: true,
    },
  ];
  for (const r of results.filter((result) => result.display !== "none")) {
    const ratio = r.taps.p99 / baseline;
    targets.push({
      figure: `tap p99, ${r.name}, over no display`,
      value: `${round(ratio)} x`,
      target: `<= ${round(allowed)} (noise)`,
      met: ratio <= allowed,
    });
    if (r.kioskEvents) {
      targets.push({
        figure: "tap to the kiosk page's screen event, p99 (frame written to event received)",
        value: `${round(r.kioskEvents.p99, 1)} ms`,
        target: "(measured)",
        met: true,
      });
    }
  }
  return targets;
}
