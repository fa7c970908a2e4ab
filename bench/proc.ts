import { readFileSync } from "node:fs";

/** Readings from Linux /proc for a process of this machine ("self" or a pid). */

type Pid = number | "self";

function fields(text: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of text.split("\n")) {
    const match = /^(\w+):\s+(\d+)/.exec(line);
    if (match?.[1] && match[2]) map.set(match[1], Number(match[2]));
  }
  return map;
}

/** Bytes the process caused to be sent to the block layer (its own I/O accounting). */
export function writeBytes(pid: Pid = "self"): number {
  const value = fields(readFileSync(`/proc/${pid}/io`, "utf8")).get("write_bytes");
  if (value === undefined) throw new Error(`/proc/${pid}/io has no write_bytes line`);
  return value;
}

/** Resident set size now and at its peak, in bytes. */
export function residentMemory(pid: Pid = "self"): { rss: number; peak: number } {
  const status = fields(readFileSync(`/proc/${pid}/status`, "utf8"));
  return { rss: (status.get("VmRSS") ?? 0) * 1024, peak: (status.get("VmHWM") ?? 0) * 1024 };
}

/** User plus system CPU time of a process so far, in milliseconds (clock ticks of 10 ms). */
export function cpuTimeMs(pid: Pid = "self"): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name in parentheses may hold spaces; the fields after it are fixed.
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(rest[11]) + Number(rest[12]);
  return ticks * 10;
}
