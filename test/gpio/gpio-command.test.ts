import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCaptured } from "../helpers/cli.js";
import { makeFakeTree, PC, PI5_RP1_GPIOCHIP4 } from "./fake-trees.js";

function configWith(feedback: object): string {
  const dir = mkdtempSync(join(tmpdir(), "timeclock-gpio-cli-"));
  const path = join(dir, "config.json");
  writeFileSync(
    path,
    JSON.stringify({
      server: { loginEmail: "admin@example.com" },
      entry: { timeTypeId: "tt-1" },
      feedback,
    }),
  );
  return path;
}

async function run(argv: string[]) {
  const { code, stdout, stderr } = await runCaptured(argv);
  return { code, out: stdout, err: stderr };
}

describe("timeclock gpio", () => {
  const pi5 = makeFakeTree({ chips: PI5_RP1_GPIOCHIP4, legacySysfs: true });
  const config = configWith({
    backend: "auto",
    amber: { bcm: 23 },
    keys: [{ name: "in", bcm: 5 }],
  });

  it("pins: shows where each configured part resolves on a Pi 5 with RP1 as gpiochip4", async () => {
    const { code, out } = await run(["--config", config, "gpio", "pins", "--root", pi5]);
    expect(code).toBe(0);
    expect(out).toMatch(
      /^gpiochip4 \[pinctrl-rp1\] \(54 lines\)\s+\/dev\/gpiochip4\s+571\s+raspberrypi,rp1-gpio$/m,
    );
    expect(out).toMatch(/^green\s+17\s+gpiochip4\s+17\s+588\s+label$/m);
    expect(out).toMatch(/^key in\s+5\s+gpiochip4\s+5\s+576\s+label$/m);
  });

  it("pins --json: gives the same for scripts", async () => {
    const { code, out } = await run(["--config", config, "gpio", "pins", "--json", "--root", pi5]);
    expect(code).toBe(0);
    const parsed = JSON.parse(out);
    expect(
      parsed.parts.map((p: { part: string; pin: { sysfsNumber: number } }) => [
        p.part,
        p.pin.sysfsNumber,
      ]),
    ).toEqual([
      ["green", 588],
      ["red", 598],
      ["buzzer", 593],
      ["amber", 594],
      ["key in", 576],
    ]);
  });

  it("pins: exits 78 naming the chips found when none is a Pi header", async () => {
    const pc = makeFakeTree({ chips: PC, legacySysfs: true });
    const { code, out, err } = await run(["--config", config, "gpio", "pins", "--root", pc]);
    expect(code).toBe(78);
    expect(out).toMatch(/^green\s+17\s+-\s+-\s+-\s+NOT FOUND$/m);
    expect(err).toContain("5 of 5 pins cannot be resolved: cannot resolve BCM 17");
    expect(err).toContain("INT34C5:00");
  });

  it("test and keys: refuse with backend none and say what to set", async () => {
    const none = configWith({ backend: "none" });
    for (const sub of ["test", "keys"]) {
      const { code, err } = await run(["--config", none, "gpio", sub]);
      expect(code).toBe(78);
      expect(err).toContain('feedback.backend is "none"');
    }
  });

  it("test: rejects an unknown signal with a usage error listing the signals", async () => {
    const { code, err } = await run(["--config", config, "gpio", "test", "--signal", "party"]);
    expect(code).toBe(64);
    expect(err).toContain('--signal "party" is not a signal; choose one of self-test, clock-in');
  });

  it("keys: rejects a listening time out of range", async () => {
    const { code, err } = await run(["--config", config, "gpio", "keys", "--seconds", "0"]);
    expect(code).toBe(64);
    expect(err).toContain("--seconds");
  });
});
