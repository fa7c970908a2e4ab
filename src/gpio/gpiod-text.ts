/**
 * Parsers for what libgpiod's command-line tools print. v1 (Raspberry Pi OS Bookworm, 1.6) and v2
 * (Trixie, 2.x) differ in options and output, so each parser accepts both forms.
 */

export interface GpiodVersion {
  major: number;
  minor: number;
  text: string;
}

/** `gpioset --version` prints e.g. "gpioset (libgpiod) v1.6.3" or "gpioset (libgpiod) v2.1.3". */
export function parseGpiodVersion(output: string): GpiodVersion | undefined {
  const match = /\(libgpiod\)\s+v?(\d+)\.(\d+)(?:\.\d+)?\S*/.exec(output);
  if (!match) return undefined;
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    text: match[0].replace(/^\(libgpiod\)\s+/, ""),
  };
}

export interface DetectedChip {
  name: string;
  label: string;
  lines: number;
}

/** `gpiodetect` prints one chip per line: "gpiochip0 [pinctrl-bcm2711] (58 lines)" in v1 and v2. */
export function parseGpiodetect(output: string): DetectedChip[] {
  const chips: DetectedChip[] = [];
  for (const line of output.split(/\r?\n/)) {
    const match = /^(\S+)\s+\[(.*)\]\s+\((\d+) lines?\)\s*$/.exec(line);
    if (match?.[1] && match[2] !== undefined) {
      chips.push({ name: match[1], label: match[2], lines: Number(match[3]) });
    }
  }
  return chips;
}

export interface ChipLineNames {
  name: string;
  lines: number;
  /** Line names by offset; undefined for an unnamed line. */
  names: (string | undefined)[];
}

/**
 * `gpioinfo` lists every line of every chip under a "gpiochip0 - 54 lines:" heading.
 * v1: `\tline  17:     "GPIO17"       unused   input  active-high`
 * v2: `\tline  17:\t"GPIO17"        \tinput`
 * Both print `unnamed` without quotes for a line without a name.
 */
export function parseGpioinfo(output: string): ChipLineNames[] {
  const chips: ChipLineNames[] = [];
  let current: ChipLineNames | undefined;
  for (const line of output.split(/\r?\n/)) {
    const heading = /^(\S+) - (\d+) lines?:\s*$/.exec(line);
    if (heading?.[1]) {
      current = { name: heading[1], lines: Number(heading[2]), names: [] };
      chips.push(current);
      continue;
    }
    const entry = /^\s+line\s+(\d+):\s+(?:"([^"]*)"|unnamed)/.exec(line);
    if (entry && current) current.names[Number(entry[1])] = entry[2];
  }
  return chips;
}

/** One edge reported by gpiomon with the format its version understands (see `gpiomonArgs`). */
export type EdgeKind = "rising" | "falling";

/** v1 prints "%e" as 1 (rising) or 0 (falling); v2 prints "%E" as rising or falling. */
export function parseGpiomonLine(line: string): EdgeKind | undefined {
  const word = line.trim();
  if (word === "rising" || word === "1") return "rising";
  if (word === "falling" || word === "0") return "falling";
  return undefined;
}

export interface LineRequest {
  chip: string;
  offset: number;
  consumer: string;
}

/** Arguments of a gpioset that drives one line to `level` and holds it until signalled. */
export function gpiosetArgs(version: GpiodVersion, line: LineRequest, level: 0 | 1): string[] {
  if (version.major >= 2) {
    return [`--chip=${line.chip}`, `--consumer=${line.consumer}`, `${line.offset}=${level}`];
  }
  return ["--mode=signal", line.chip, `${line.offset}=${level}`];
}

export type Bias = "pull-up" | "pull-down" | "as-is";

/** Arguments of a gpiomon that prints one line per edge, flushed at once, until signalled. */
export function gpiomonArgs(version: GpiodVersion, line: LineRequest, bias: Bias): string[] {
  const biasArgs = bias === "as-is" ? [] : [`--bias=${bias}`];
  if (version.major >= 2) {
    return [
      `--chip=${line.chip}`,
      `--consumer=${line.consumer}`,
      ...biasArgs,
      "--format=%E",
      `${line.offset}`,
    ];
  }
  return ["--line-buffered", ...biasArgs, "--format=%e", line.chip, `${line.offset}`];
}
