import { SerialPort } from "serialport";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SerialReaderConfig } from "../../src/readers/config-schema.js";
import { createReader } from "../../src/readers/create-reader.js";
import { MAX_LINE_LENGTH } from "../../src/readers/line-parser.js";
import type { Reader } from "../../src/readers/reader.js";
import { capturingLogger } from "../system/helpers.js";
import { rdm6300Frame } from "./frames.js";
import { recorder, SocatPair, waitFor } from "./helpers.js";

function serialConfig(path: string, extra: Partial<SerialReaderConfig> = {}): SerialReaderConfig {
  return {
    type: "serial",
    path,
    baudRate: 9600,
    protocol: "rdm6300",
    repeatSuppressMs: 1500,
    ...extra,
  };
}

describe("serial reader through a socat pseudo-terminal pair", () => {
  let socat: SocatPair;
  let reader: Reader | undefined;

  beforeEach(async () => {
    socat = new SocatPair();
    await socat.start();
  });

  afterEach(async () => {
    await reader?.stop();
    reader = undefined;
    await socat.kill();
  });

  it("reads RDM6300 frames, folds repeats into one tap and counts what it threw away", async () => {
    const { reads, clock, deps } = recorder();
    reader = createReader(serialConfig(socat.readerPath), deps);
    await reader.start();
    expect(reader.status().state).toBe("open");

    const frame = rdm6300Frame("0F00A1B2C3");
    await socat.send(
      Buffer.concat([frame, frame, Buffer.from("zz"), rdm6300Frame("0F00A1B2C3", "00"), frame]),
    );
    await socat.send(rdm6300Frame("1122334455"));
    await waitFor(() => reads.length === 2, "two reads");
    clock.advance(1500);
    await socat.send(frame);
    await waitFor(() => reads.length === 3, "the card tapped again after the window");

    expect(reads.map((read) => read.badgeId)).toEqual(["0F00A1B2C3", "1122334455", "0F00A1B2C3"]);
    expect(reads[0]).toEqual({
      badgeId: "0F00A1B2C3",
      knownBits: 40,
      raw: "<STX>0F00A1B2C3DF<ETX>",
    });
    expect(reader.status().counters).toMatchObject({
      reads: 3,
      duplicatesSuppressed: 2,
      framesDropped: 1,
      noiseBytes: 2,
    });
    expect(reader.status().lastReadAt).toBe("2026-03-02T07:00:01.500Z");
  });

  it("reads the line protocol in the configured format", async () => {
    const { reads, deps } = recorder();
    reader = createReader(
      serialConfig(socat.readerPath, { protocol: "line", format: "dec10" }),
      deps,
    );
    await reader.start();
    await socat.send("0010597059\r\nnot a badge\r\n0000000001\r\n");
    await waitFor(() => reads.length === 2, "two lines");
    expect(reads).toEqual([
      { badgeId: "0000A1B2C3", knownBits: 32, raw: "0010597059" },
      { badgeId: "0000000001", knownBits: 32, raw: "0000000001" },
    ]);
    expect(reader.status().counters.framesDropped).toBe(1);
  });

  it("drops and counts a line that never ends, keeping at most one badge's worth of it, and reads on", async () => {
    const { reads, deps } = recorder();
    const { logger, lines } = capturingLogger();
    reader = createReader(serialConfig(socat.readerPath, { protocol: "line" }), {
      ...deps,
      logger,
    });
    await reader.start();
    const garbage = Buffer.alloc(1 << 20, "7");
    for (let sent = 0; sent < garbage.length; sent += 65_536) {
      await socat.send(garbage.subarray(sent, sent + 65_536));
    }
    await socat.send("\r\n0F00A1B2C3\r\n");
    await waitFor(() => reads.length === 1, "the badge after the garbage");
    expect(reads[0]?.badgeId).toBe("0F00A1B2C3");
    expect(reader.status().counters).toMatchObject({ reads: 1, framesDropped: 1 });
    expect(lines()).toContainEqual(
      expect.objectContaining({
        badge: {
          raw: "7".repeat(MAX_LINE_LENGTH),
          reason: `line of ${1 << 20} characters is longer than ${MAX_LINE_LENGTH}, longer than any badge`,
        },
      }),
    );
  });

  it("survives the reader being unplugged and plugged in again", async () => {
    const { reads, statuses, deps } = recorder();
    reader = createReader(serialConfig(socat.readerPath), deps);
    await reader.start();
    await socat.send(rdm6300Frame("0F00A1B2C3").subarray(0, 6));
    await waitFor(
      () => reader?.status().counters.bytesReceived === 6,
      "the reader to receive half a frame",
    );

    await socat.kill();
    await waitFor(
      () => reader?.status().state === "reconnecting",
      "the reader to notice the unplug",
    );
    await waitFor(() => /does not exist/.test(reader?.status().detail ?? ""), "the reopen to fail");
    expect(reader.status().detail).toContain(
      `serial device ${socat.readerPath} does not exist: plug the reader in`,
    );

    await socat.start();
    await waitFor(() => reader?.status().state === "open", "the reader to reopen");
    await socat.send(rdm6300Frame("1122334455"));
    await waitFor(() => reads.length === 1, "a read after the replug");

    expect(reads[0]?.badgeId).toBe("1122334455");
    const counters = reader.status().counters;
    expect(counters.reopens).toBe(1);
    expect(counters.framesDropped).toBe(1);
    expect(counters.openFailures).toBeGreaterThanOrEqual(1);
    expect(statuses.map((status) => status.state)).toEqual(
      expect.arrayContaining(["starting", "open", "reconnecting"]),
    );
    expect(statuses.some((s) => /was disconnected/.test(s.detail ?? ""))).toBe(true);
  });

  it("names the process that holds the port and opens it once that lets go", async () => {
    const blocker = new SerialPort({ path: socat.readerPath, baudRate: 9600, autoOpen: false });
    await new Promise<void>((resolve, reject) =>
      blocker.open((error) => (error ? reject(error) : resolve())),
    );
    const { reads, deps } = recorder();
    reader = createReader(serialConfig(socat.readerPath), deps);
    await reader.start();

    expect(reader.status().state).toBe("reconnecting");
    expect(reader.status().detail).toContain(
      `serial device ${socat.readerPath} is in use by process ${process.pid} (`,
    );

    await new Promise<void>((resolve) => blocker.close(() => resolve()));
    await waitFor(() => reader?.status().state === "open", "the reader to open the freed port");
    await socat.send(rdm6300Frame("0F00A1B2C3"));
    await waitFor(() => reads.length === 1, "a read");
  });
});

describe("serial reader without a device", () => {
  it("starts without throwing, keeps retrying and stops cleanly", async () => {
    const { deps, statuses } = recorder();
    const reader = createReader(serialConfig("/nonexistent/ttyREADER"), deps);
    await reader.start();
    expect(reader.status().state).toBe("reconnecting");
    await waitFor(() => (reader.status().counters.openFailures ?? 0) >= 3, "three attempts");
    await reader.stop();
    expect(reader.status().state).toBe("stopped");
    expect(statuses.at(-1)?.state).toBe("stopped");
  });
});
