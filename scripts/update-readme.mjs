// Rewrites the configuration reference in README.md from the schema (npm run docs).
import { readFileSync, writeFileSync } from "node:fs";
import { configReferenceMarkdown } from "../dist/config/reference.js";

const START = "<!-- config-reference:start -->";
const END = "<!-- config-reference:end -->";
const readme = readFileSync("README.md", "utf8");
const before = readme.slice(0, readme.indexOf(START) + START.length);
const after = readme.slice(readme.indexOf(END));
writeFileSync("README.md", `${before}\n${configReferenceMarkdown()}\n${after}`);
