import type { Clock } from "../../src/core/clock.js";
import {
  type GpioBackend,
  type GpioInput,
  type GpioOutput,
  type InputRequest,
  levelOf,
  type OutputRequest,
} from "../../src/gpio/backend.js";

/** A GPIO backend for tests and the demo: records every write with the injected clock's time. */

export interface RecordedWrite {
  name: string;
  bcm: number;
  on: boolean;
  /** Physical level after active-low. */
  level: 0 | 1;
  /** clock.monotonicMs() at the write. */
  atMs: number;
}

export class FakeGpioBackend implements GpioBackend {
  readonly name = "fake" as const;
  readonly detail = "fake backend (records writes)";
  readonly writes: RecordedWrite[] = [];
  readonly closed = new Set<string>();
  readonly #outputs = new Map<string, OutputRequest>();
  readonly #inputs = new Map<string, InputRequest>();
  readonly #broken = new Map<string, Error>();
  readonly #refusedOpen = new Map<string, Error>();

  constructor(private readonly clock: Clock) {}

  openOutput(request: OutputRequest): GpioOutput {
    const refusal = this.#refusedOpen.get(request.name);
    if (refusal) throw refusal;
    this.#outputs.set(request.name, request);
    const record = (on: boolean) => {
      const broken = this.#broken.get(request.name);
      if (broken) throw broken;
      this.writes.push({
        name: request.name,
        bcm: request.pin.bcm,
        on,
        level: levelOf(on, request.activeLow),
        atMs: this.clock.monotonicMs(),
      });
    };
    return {
      write: record,
      close: async () => {
        if (!this.#broken.has(request.name)) record(false);
        this.closed.add(request.name);
      },
    };
  }

  openInput(request: InputRequest): GpioInput {
    const refusal = this.#refusedOpen.get(request.name);
    if (refusal) throw refusal;
    this.#inputs.set(request.name, request);
    return {
      close: async () => {
        this.#inputs.delete(request.name);
        this.closed.add(request.name);
      },
    };
  }

  /** Simulates an edge on an open input; returns false when no such input is open. */
  emitEdge(name: string, active: boolean): boolean {
    const input = this.#inputs.get(name);
    input?.onChange(active);
    return input !== undefined;
  }

  /** Makes opening the named line throw, as a failed export does. */
  refuseOpen(name: string, error: Error): void {
    this.#refusedOpen.set(name, error);
  }

  /** Makes every later write to the named output throw. */
  breakWrites(name: string, error: Error): void {
    this.#broken.set(name, error);
  }

  /** Reports the named line as dead after opening, as a dying gpioset does. */
  fault(name: string, error: Error): void {
    (this.#outputs.get(name) ?? this.#inputs.get(name))?.onFault(error);
  }

  writesOf(name: string): RecordedWrite[] {
    return this.writes.filter((write) => write.name === name);
  }
}
