import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ChildWithOutput, SpawnChild } from "../../src/readers/child-process.js";
import type { HidReaderConfig } from "../../src/readers/config-schema.js";
import { createReader } from "../../src/readers/create-reader.js";
import { HID_GRAB_SCRIPT } from "../../src/readers/hid-grab.js";
import type { Reader } from "../../src/readers/reader.js";
import { recorder, waitFor } from "./helpers.js";

const DEVICE = "/dev/input/by-id/usb-Sycreader_RFID-event-kbd";

/** Key presses as 24-byte input events, each followed by a release. */
function keyEvents(codes: number[]): Buffer {
  return Buffer.concat(
    codes.flatMap((code) =>
      [1, 0].map((value) => {
        const record = Buffer.alloc(24);
        record.writeUInt16LE(1, 16);
        record.writeUInt16LE(code, 18);
        record.writeInt32LE(value, 20);
        return record;
      }),
    ),
  );
}

const DIGIT_CODES: Record<string, number> = { "0": 11, "1": 2, "5": 6, "7": 8, "9": 10 };
const typing = (text: string) => keyEvents([...text].map((char) => DIGIT_CODES[char] ?? 28));

interface Episode {
  /** Bytes after the record-size header; no header at all when undefined (the grab failed). */
  records?: Buffer;
  stderr?: string;
  /** Whether the stand-in stays alive after writing, as the real script does while the device is there. */
  stays: boolean;
}

/**
 * Runs a Node stand-in for the grabbing script, one episode per spawn, after checking that the
 * reader asked for python3 running the real script on the configured device.
 */
function standIn(episodes: Episode[]) {
  const calls: string[][] = [];
  const children: ChildWithOutput[] = [];
  const spawnStandIn: SpawnChild = (command, args) => {
    calls.push([command, ...args]);
    const episode = episodes[Math.min(calls.length - 1, episodes.length - 1)] as Episode;
    const program = `
      const [records, stderr, stays] = process.argv.slice(1);
      if (records !== "-") process.stdout.write(Buffer.concat([Buffer.from([24]), Buffer.from(records, "base64")]));
      if (stderr) process.stderr.write(stderr);
      if (stays === "yes") setInterval(() => {}, 1000); else process.exitCode = 3;
    `;
    const child = spawn(
      process.execPath,
      [
        "-e",
        program,
        episode.records?.toString("base64") ?? "-",
        episode.stderr ?? "",
        episode.stays ? "yes" : "no",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    children.push(child);
    return child;
  };
  return { calls, children, spawnStandIn };
}

const config: HidReaderConfig = { type: "hid", path: DEVICE, format: "dec10", recordSize: "auto" };

describe("hid reader", () => {
  let reader: Reader | undefined;
  afterEach(async () => {
    await reader?.stop();
    reader = undefined;
  });

  it("reads typed badges, survives an unplug and kills its child on stop", async () => {
    const { calls, children, spawnStandIn } = standIn([
      { records: typing("0010597059\n001"), stderr: "read ENODEV No such device\n", stays: false },
      { records: typing("0000000001\n"), stays: true },
    ]);
    const { reads, statuses, deps } = recorder();
    reader = createReader(config, { ...deps, spawn: spawnStandIn });
    await reader.start();
    await waitFor(() => reads.length === 2, "a read before and after the unplug");

    expect(calls[0]).toEqual(["python3", "-c", HID_GRAB_SCRIPT, DEVICE]);
    expect(reads).toEqual([
      { badgeId: "0000A1B2C3", knownBits: 32, raw: "0010597059" },
      { badgeId: "0000000001", knownBits: 32, raw: "0000000001" },
    ]);
    expect(
      statuses.some(
        (s) => s.state === "reconnecting" && /is not there \(unplugged\?\)/.test(s.detail ?? ""),
      ),
    ).toBe(true);
    expect(reader.status()).toMatchObject({
      state: "open",
      counters: { reopens: 1, framesDropped: 1 },
    });

    await reader.stop();
    const last = children.at(-1);
    expect(last?.exitCode !== null || last?.signalCode !== null).toBe(true);
    expect(reader.status().state).toBe("stopped");
  });

  it("warns when a configured record size disagrees with the grabbing process", async () => {
    const { spawnStandIn } = standIn([{ records: Buffer.alloc(0), stays: true }]);
    const { deps } = recorder();
    reader = createReader({ ...config, recordSize: 16 as const }, { ...deps, spawn: spawnStandIn });
    await reader.start();
    expect(reader.status()).toMatchObject({ state: "open" });
    expect(reader.status().detail).toContain("set reader.recordSize to 24");
  });

  it("names a device that is in use by the grab's holder", async () => {
    const { spawnStandIn } = standIn([
      { stderr: "grab EBUSY Device or resource busy\n", stays: false },
    ]);
    const { deps } = recorder();
    reader = createReader(config, { ...deps, spawn: spawnStandIn });
    await reader.start();
    expect(reader.status().state).toBe("reconnecting");
    expect(reader.status().detail).toContain(
      `input device ${DEVICE} is grabbed exclusively by another process`,
    );
  });
});

describe("the real grabbing script", () => {
  it.each([
    ["a missing device", () => "/nonexistent/event-kbd", "is not there (unplugged?)"],
    [
      "a file that is not an input device",
      () => {
        const path = join(mkdtempSync(join(tmpdir(), "timeclock-hid-")), "not-a-device");
        writeFileSync(path, "x");
        return path;
      },
      "is not an input event device",
    ],
  ])("explains %s", async (_name, makePath, expected) => {
    const { deps } = recorder();
    const reader = createReader({ ...config, path: makePath() }, deps);
    await reader.start();
    expect(reader.status().state).toBe("reconnecting");
    expect(reader.status().detail).toContain(expected);
    await reader.stop();
  });
});
