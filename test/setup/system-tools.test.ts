import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/temp.js";
import { isInstalled, missingToolsMessage, SYSTEM_TOOLS, type SystemTool } from "./system-tools.js";

const socat: SystemTool = {
  command: "socat",
  neededFor: "pseudo-terminals",
  debianPackage: "socat",
};
const python: SystemTool = {
  command: "python3",
  neededFor: "a free pty",
  debianPackage: "python3",
};

describe("the system tools npm test needs", () => {
  it("names each missing tool, what it is for and the apt-get line", () => {
    expect(missingToolsMessage([socat, python], "/nonexistent")).toBe(
      [
        "npm test needs system tools that are not installed:",
        "  - socat: for pseudo-terminals",
        "  - python3: for a free pty",
        "Install them (Debian, Raspberry Pi OS: sudo apt-get install socat python3) and run the tests again; .ci/run installs what CI needs.",
      ].join("\n"),
    );
  });

  it("finds an executable on PATH or at a named place, and not a file that cannot run", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "socat"), "#!/bin/sh\n");
    expect(isInstalled(socat, dir)).toBe(false);
    chmodSync(join(dir, "socat"), 0o755);
    expect(isInstalled(socat, `/nonexistent:${dir}`)).toBe(true);
    expect(missingToolsMessage([socat], dir)).toBeNull();
    const postgres: SystemTool = {
      command: "initdb",
      paths: [join(dir, "socat")],
      neededFor: "site mode",
      debianPackage: "postgresql",
    };
    expect(isInstalled(postgres, "/nonexistent")).toBe(true);
  });

  it("lists socat, which the pseudo-terminal readers need", () => {
    expect(SYSTEM_TOOLS.map((tool) => tool.command)).toContain("socat");
  });
});
