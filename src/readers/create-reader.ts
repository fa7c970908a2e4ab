import type { SpawnChild } from "./child-process.js";
import type { ReaderConfig } from "./config-schema.js";
import { HidReader } from "./hid-reader.js";
import type { Reader } from "./reader.js";
import type { ReaderDeps } from "./reader-status.js";
import type { Backoff } from "./reconnector.js";
import { type OpenSerialPort, SerialReader } from "./serial-reader.js";
import { StdinReader } from "./stdin-reader.js";
import { WiegandReader } from "./wiegand-reader.js";

export interface CreateReaderDeps extends ReaderDeps {
  /** Input of the stdin reader; process.stdin by default. */
  stdin?: NodeJS.ReadableStream;
  /** Starts the helper process of the hid and wiegand readers; tests swap it. */
  spawn?: SpawnChild;
  /** Opens a serial port; tests pass one that makes SerialPortMock ports. */
  openSerialPort?: OpenSerialPort;
  /** Root under which /proc, /dev and /etc are inspected for diagnostics; "/" by default. */
  fsRoot?: string;
  /** Delay between attempts to reopen a device; 0.5 s doubling to 30 s by default. */
  backoff?: Backoff;
}

export function createReader(config: ReaderConfig, deps: CreateReaderDeps): Reader {
  switch (config.type) {
    case "serial":
      return new SerialReader(config, deps);
    case "stdin":
      return new StdinReader(config, deps, deps.stdin);
    case "hid":
      return new HidReader(config, deps);
    case "wiegand":
      return new WiegandReader(config, deps);
  }
}
