import { readFileSync } from "node:fs";

/** Every assignment of a unit file by "Section.Key", in order; comments and blank lines skipped. */
export function parseUnit(path: string): Map<string, string[]> {
  const settings = new Map<string, string[]>();
  let section = "";
  for (const raw of readFileSync(path, "utf8").split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header?.[1]) {
      section = header[1];
      continue;
    }
    const equals = line.indexOf("=");
    if (equals < 0) throw new Error(`${path}: not a setting: ${JSON.stringify(line)}`);
    const key = `${section}.${line.slice(0, equals)}`;
    settings.set(key, [...(settings.get(key) ?? []), line.slice(equals + 1)]);
  }
  return settings;
}
