import { describe, expect, it } from "vitest";
import { SEED_USERS } from "../../src/simulator/index.js";
import { closedPort } from "../helpers/net.js";
import { terminalSite } from "../helpers/terminal-site.js";

/** The console runs beside the tap path, never on it: whatever happens to it, taps go on. */

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  return !alive(pid);
}

describe("the console process", () => {
  it("is restarted after a crash while taps go on, and ends with the terminal", async () => {
    const port = await closedPort();
    const site = await terminalSite({
      console: { enabled: true, listen: "127.0.0.1", port, https: false },
    });
    site.mapBadges([{ badgeId: "0A00000001", knownBits: 40, email: SEED_USERS.anna }]);
    const run = await site.start();
    const first = await run.waitFor("the console", (line) => line.msg === "console listening");
    const firstPid = Number(first.pid);
    expect(firstPid).not.toBe(run.child.pid);

    process.kill(firstPid, "SIGKILL");
    run.type("0A00000001\n");
    await run.waitFor("the clock-in", (line) => line.outcome === "clock-in");
    await run.waitFor(
      "the restart notice",
      (line) =>
        line.msg ===
        "console stopped unexpectedly; restarting it. Taps are read and booked meanwhile",
    );
    const second = await run.waitFor(
      "the console again",
      (line) => line.msg === "console listening" && Number(line.pid) !== firstPid,
    );
    const answer = await fetch(`http://127.0.0.1:${port}/login`);
    expect(answer.status).toBe(200);
    run.type("0A00000001\n");
    await run.waitFor("the booking", (line) => line.msg === "entry booked");

    await run.stop();
    expect(await gone(Number(second.pid))).toBe(true);
  });

  it("ends when the terminal is killed outright", async () => {
    const port = await closedPort();
    const site = await terminalSite({
      console: { enabled: true, listen: "127.0.0.1", port, https: false },
    });
    const run = await site.start();
    const listening = await run.waitFor("the console", (line) => line.msg === "console listening");
    run.child.kill("SIGKILL");
    await run.exited;
    expect(await gone(Number(listening.pid))).toBe(true);
  });
});
