import type { ResolvedPin } from "./resolve.js";

/**
 * One interface over the ways to reach a GPIO line: legacy sysfs (onoff), libgpiod's tools, a fake.
 * Outputs and inputs speak in logical terms (on / active); each applies its own active-low.
 */

export interface GpioOutput {
  /** Drives the line; never waits. A failure either throws here or arrives through `onFault`. */
  write(on: boolean): void;
  /** Turns the output off and releases the line. */
  close(): Promise<void>;
}

export interface GpioInput {
  close(): Promise<void>;
}

export interface OutputRequest {
  /** What the line is for ("green", "buzzer"), for logs and errors. */
  name: string;
  pin: ResolvedPin;
  activeLow: boolean;
  /** Called once when the line stops working after it was opened (e.g. gpioset died). */
  onFault: (error: Error) => void;
}

export interface InputRequest {
  name: string;
  pin: ResolvedPin;
  activeLow: boolean;
  /** Every raw edge as the line's logical level; debouncing is the caller's business. */
  onChange: (active: boolean) => void;
  onFault: (error: Error) => void;
}

export type BackendName = "sysfs" | "gpiod" | "fake";

export interface GpioBackend {
  readonly name: BackendName;
  /** Human-readable detail such as the libgpiod version, for status output. */
  readonly detail: string;
  openOutput(request: OutputRequest): GpioOutput;
  openInput(request: InputRequest): GpioInput;
}

/** The physical level for a logical state. */
export function levelOf(on: boolean, activeLow: boolean): 0 | 1 {
  return on !== activeLow ? 1 : 0;
}

export function errorOf(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
