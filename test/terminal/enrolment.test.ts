import { describe, expect, it } from "vitest";
import type { EnrolmentView } from "../../src/control/protocol.js";
import { ENROL_WINDOW_MS, Enrolment } from "../../src/terminal/enrolment.js";
import { FakeClock } from "../fakes/clock.js";

const read = (badgeId: string) => ({ badgeId, knownBits: 40 as const, raw: badgeId });

describe("enrolment in the terminal", () => {
  it("captures the one next badge while armed, and lets the taps after it through", () => {
    const clock = new FakeClock("2026-03-10T08:00:00Z");
    const captured: EnrolmentView[] = [];
    const enrolment = new Enrolment(clock, (view) => captured.push(view));
    expect(enrolment.capture(read("0F00A1B2C3"))).toBe(false);
    const armed = enrolment.arm("console:10.0.0.5#abc");
    expect(armed).toMatchObject({ state: "armed", expiresAt: "2026-03-10T08:01:00.000Z" });
    clock.advance(5_000);
    expect(enrolment.capture(read("0E00000001"))).toBe(true);
    expect(enrolment.capture(read("0E00000002"))).toBe(false);
    expect(enrolment.view(armed.armId)).toMatchObject({
      state: "captured",
      badge: { badgeId: "0E00000001", knownBits: 40 },
      capturedAt: "2026-03-10T08:00:05.000Z",
    });
    expect(captured.map((view) => view.badge?.badgeId)).toEqual(["0E00000001"]);
  });

  it("ends after a minute on the monotonic clock, whatever the wall clock does", () => {
    const clock = new FakeClock("2026-03-10T08:00:00Z");
    const enrolment = new Enrolment(clock);
    const armed = enrolment.arm("cli:anna");
    clock.stepWall(-3_600_000);
    clock.advance(ENROL_WINDOW_MS - 1);
    expect(enrolment.armed).toBe(true);
    clock.advance(2);
    expect(enrolment.armed).toBe(false);
    expect(enrolment.capture(read("0E00000001"))).toBe(false);
    expect(enrolment.view(armed.armId)?.state).toBe("expired");
  });

  it("is ended by a cancel or a new arming", () => {
    const clock = new FakeClock("2026-03-10T08:00:00Z");
    const enrolment = new Enrolment(clock);
    const first = enrolment.arm("cli:anna");
    const second = enrolment.arm("console:10.0.0.5#abc");
    expect(enrolment.view(first.armId)?.state).toBe("replaced");
    expect(enrolment.cancel(second.armId)?.state).toBe("cancelled");
    expect(enrolment.capture(read("0E00000001"))).toBe(false);
    expect(enrolment.view("no such arming")).toBeNull();
  });
});
