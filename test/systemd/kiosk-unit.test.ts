import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { displaySchema } from "../../src/display/config-schema.js";
import { hasCommand } from "../system/helpers.js";
import { parseUnit, verifyUnit } from "./unit-file.js";

const UNIT = "systemd/timeclock-kiosk.service";
const unit = parseUnit(UNIT);
const setting = (key: string) => unit.get(key) ?? [];
const EXECUTABLES = ["/usr/bin/cage", "/bin/bash"];

describe("timeclock-kiosk.service agrees with the program", () => {
  it("opens the kiosk page where the terminal serves it by default", () => {
    const defaults = displaySchema.parse({});
    expect(setting("Service.Environment")).toContain(`KIOSK_PORT=${defaults.kiosk.port}`);
    const [exec] = setting("Service.ExecStart");
    expect(exec).toMatch(/^\/usr\/bin\/cage -d -- \/usr\/bin\/chromium --kiosk /);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: systemd's own ${VAR} substitution
    expect(exec?.split(" ").at(-1)).toBe("http://127.0.0.1:${KIOSK_PORT}/");
    expect(setting("Unit.Wants")).toContain("timeclock.service");
  });

  it("takes tty1 in a session of its own unprivileged user, with no login prompt and no auto-login", () => {
    expect(setting("Service.User")).toEqual(["timeclock-kiosk"]);
    expect(setting("Service.TTYPath")).toEqual(["/dev/tty1"]);
    expect(setting("Unit.Conflicts")).toEqual(["getty@tty1.service"]);
    expect(setting("Service.PAMName")).toEqual(["timeclock-kiosk"]);
    const pam = readFileSync("systemd/timeclock-kiosk.pam", "utf8");
    expect(pam).toMatch(/^session\s+required\s+pam_systemd\.so$/m);
  });

  it("leaves a dollar for bash in its wait for the page, and a port it can read", () => {
    const [wait] = setting("Service.ExecStartPre");
    expect(wait).toContain('"/dev/tcp/127.0.0.1/$${KIOSK_PORT}"');
    expect(wait).not.toMatch(/[^$]\$[^$]/);
  });
});

describe.skipIf(!hasCommand("systemd-analyze"))("systemd-analyze", () => {
  it("verifies the kiosk unit without a complaint", () => {
    const result = verifyUnit("timeclock-kiosk.service", readFileSync(UNIT, "utf8"), EXECUTABLES);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("would report a misspelt setting (so the check above can fail)", () => {
    const broken = readFileSync(UNIT, "utf8").replace("TTYVHangup=", "TTYVHangupp=");
    const result = verifyUnit("timeclock-kiosk.service", broken, EXECUTABLES);
    expect(result.stderr).toContain("Unknown key 'TTYVHangupp' in section [Service]");
  });
});
