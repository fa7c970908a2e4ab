// Rewrites the tables in README.md that are made from the code (npm run docs): the configuration
// reference from the schema, the exit codes from src/core/exit-codes.ts.
import { readFileSync, writeFileSync } from "node:fs";
import { configReferenceMarkdown } from "../dist/config/reference.js";
import { exitCodesMarkdown } from "../dist/core/exit-codes.js";

function replaceBetween(text, name, table) {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const before = text.slice(0, text.indexOf(start) + start.length);
  const after = text.slice(text.indexOf(end));
  return `${before}\n${table}\n${after}`;
}

let readme = readFileSync("README.md", "utf8");
readme = replaceBetween(readme, "config-reference", configReferenceMarkdown());
readme = replaceBetween(readme, "exit-codes", exitCodesMarkdown());
writeFileSync("README.md", readme);
