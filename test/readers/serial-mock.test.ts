import { SerialPortMock } from "serialport";
import { afterEach, describe, expect, it } from "vitest";
import { createReader } from "../../src/readers/create-reader.js";
import type { OpenSerialPort } from "../../src/readers/serial-reader.js";
import { rdm6300Frame } from "./frames.js";
import { recorder, waitFor } from "./helpers.js";

const PATH = "/dev/ttyMOCK0";

/** Opens SerialPortMock ports and keeps the latest, so the test can make it emit data. */
function mockPorts() {
  const opened: SerialPortMock[] = [];
  const open: OpenSerialPort = (options) => {
    const port = new SerialPortMock({ ...options, autoOpen: false });
    opened.push(port);
    return port;
  };
  return { opened, open, latest: () => opened.at(-1) };
}

describe("serial reader on serialport's mock binding", () => {
  afterEach(() => SerialPortMock.binding.reset());

  it("reads frames delivered one byte at a time", async () => {
    SerialPortMock.binding.createPort(PATH);
    const ports = mockPorts();
    const { reads, deps } = recorder();
    const reader = createReader(
      { type: "serial", path: PATH, baudRate: 9600, protocol: "rdm6300", repeatSuppressMs: 0 },
      { ...deps, openSerialPort: ports.open },
    );
    await reader.start();
    for (const byte of Buffer.concat([rdm6300Frame("0F00A1B2C3"), rdm6300Frame("0F00A1B2C3")])) {
      ports.latest()?.port?.emitData(Buffer.from([byte]));
    }
    await waitFor(() => reads.length === 2, "two reads");
    expect(reads.map((read) => read.badgeId)).toEqual(["0F00A1B2C3", "0F00A1B2C3"]);
    await reader.stop();
  });

  it("reopens a port that was closed under it and drops the half-read frame", async () => {
    SerialPortMock.binding.createPort(PATH);
    const ports = mockPorts();
    const { reads, deps } = recorder();
    const reader = createReader(
      { type: "serial", path: PATH, baudRate: 9600, protocol: "rdm6300", repeatSuppressMs: 1500 },
      { ...deps, openSerialPort: ports.open },
    );
    await reader.start();
    ports.latest()?.port?.emitData(rdm6300Frame("0F00A1B2C3").subarray(0, 8));
    await waitFor(() => reader.status().counters.bytesReceived === 8, "half a frame");
    ports.latest()?.close();
    await waitFor(() => ports.opened.length === 2 && reader.status().state === "open", "a reopen");
    ports.latest()?.port?.emitData(rdm6300Frame("1122334455"));
    await waitFor(() => reads.length === 1, "a read on the reopened port");

    expect(reads[0]?.badgeId).toBe("1122334455");
    expect(reader.status().counters).toMatchObject({ reopens: 1, framesDropped: 1, reads: 1 });
    await reader.stop();
    expect(ports.latest()?.isOpen).toBe(false);
  });

  it("reads the line protocol", async () => {
    SerialPortMock.binding.createPort(PATH);
    const ports = mockPorts();
    const { reads, deps } = recorder();
    const reader = createReader(
      { type: "serial", path: PATH, baudRate: 9600, protocol: "line", repeatSuppressMs: 1500 },
      { ...deps, openSerialPort: ports.open },
    );
    await reader.start();
    ports.latest()?.port?.emitData("0f:00:a1:b2:c3\r\n");
    await waitFor(() => reads.length === 1, "a read");
    expect(reads[0]).toEqual({ badgeId: "0F00A1B2C3", knownBits: 40, raw: "0f:00:a1:b2:c3" });
    await reader.stop();
  });
});
