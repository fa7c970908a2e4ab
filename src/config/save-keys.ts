import {
  accessSync,
  chmodSync,
  chownSync,
  closeSync,
  constants,
  copyFileSync,
  fsyncSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { dirname } from "node:path";
import { applyEdits, type FormattingOptions, modify, parse } from "jsonc-parser";
import { DateTime } from "luxon";

/**
 * Writes a few keys of one section into the config file an admin keeps by hand, the way the admin
 * would: the file's own layout, key order and indentation stay, only the keys change (jsonc-parser
 * edits the text), a dated copy of the old file is kept beside it, and the new file replaces the
 * old one in one rename with the old file's mode and owner.
 */

export type SaveOutcome =
  | { kind: "saved"; keys: string[]; backup: string }
  | { kind: "unchanged" }
  | { kind: "not-writable"; reason: string; snippet: string };

const BOM = "\uFEFF";
const REFUSALS = new Set(["EACCES", "EPERM", "EROFS"]);

/** What an admin adds by hand to the section, e.g. `"timeFormat": "iso-local"`, exactly as JSON. */
export function keysSnippet(settings: Record<string, string>): string {
  return Object.entries(settings)
    .map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`)
    .join(", ");
}

function indentationOf(text: string): FormattingOptions {
  const indent = /\n([ \t]+)\S/.exec(text)?.[1] ?? "  ";
  return indent.startsWith("\t")
    ? { insertSpaces: false, tabSize: 1 }
    : { insertSpaces: true, tabSize: indent.length };
}

function writeReplacing(target: string, text: string): void {
  const { mode, uid, gid } = statSync(target);
  const temporary = `${target}.tmp-${process.pid}`;
  const fd = openSync(temporary, "wx", mode & 0o7777);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    chmodSync(temporary, mode & 0o7777);
    if (process.getuid?.() === 0) chownSync(temporary, uid, gid);
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  const directory = openSync(dirname(target), "r");
  try {
    fsyncSync(directory);
  } finally {
    closeSync(directory);
  }
}

export function saveSectionKeys(
  path: string,
  section: string,
  settings: Record<string, string>,
  now: Date,
): SaveOutcome {
  const snippet = keysSnippet(settings);
  try {
    const target = realpathSync(path);
    // A file an admin made read-only is not replaced, even where its directory would allow it.
    accessSync(target, constants.W_OK);
    const original = readFileSync(target, "utf8");
    const bom = original.startsWith(BOM) ? BOM : "";
    let text = original.slice(bom.length);
    const current = (parse(text) as Record<string, Record<string, unknown> | undefined>)[section];
    const changed = Object.keys(settings).filter((key) => current?.[key] !== settings[key]);
    if (changed.length === 0) return { kind: "unchanged" };
    const formattingOptions = indentationOf(text);
    for (const key of changed) {
      text = applyEdits(text, modify(text, [section, key], settings[key], { formattingOptions }));
    }
    const stamp = DateTime.fromJSDate(now, { zone: "UTC" }).toFormat("yyyyMMdd'T'HHmmss'Z'");
    const backup = `${target}.${stamp}.bak`;
    copyFileSync(target, backup, constants.COPYFILE_EXCL);
    writeReplacing(target, bom + text);
    return { kind: "saved", keys: changed, backup };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined || !REFUSALS.has(code)) throw error;
    return { kind: "not-writable", reason: `${code}: ${(error as Error).message}`, snippet };
  }
}
