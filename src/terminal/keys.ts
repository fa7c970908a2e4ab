import type { KeyConfig, KeyName } from "../gpio/config-schema.js";
import type { TapIntent } from "../pairing/pairing.js";

/**
 * What a function key means for the next tap. "break" closes the running shift and opens the
 * break with its own time type; without one configured it is a plain clock-out.
 */
export function intentForKey(name: KeyName, keys: readonly KeyConfig[]): TapIntent {
  const timeTypeId = keys.find((key) => key.name === name)?.timeTypeId;
  if (name === "break") return timeTypeId ? { kind: "switch", timeTypeId } : { kind: "out" };
  if (name === "in") return timeTypeId ? { kind: "in", timeTypeId } : { kind: "in" };
  return { kind: "out" };
}
