import * as z from "zod";
import { configSchema } from "./schema.js";

/**
 * The configuration reference as a Markdown table, made from the schema itself so that the
 * README cannot drift from what the program accepts (a test compares the two).
 */

interface JsonSchema {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  default?: unknown;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  items?: JsonSchema;
}

interface Row {
  key: string;
  type: string;
  required: boolean;
  description: string;
}

function typeOf(node: JsonSchema): string {
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (node.enum) return node.enum.map((value) => JSON.stringify(value)).join(" \\| ");
  if (node.anyOf) return node.anyOf.map(typeOf).join(" \\| ");
  if (node.type === "array") return `array of ${node.items ? typeOf(node.items) : "values"}`;
  if (node.properties) return "object";
  return Array.isArray(node.type) ? node.type.join(" \\| ") : (node.type ?? "any");
}

function walk(node: JsonSchema, path: string, required: boolean, rows: Row[]): void {
  if (node.oneOf) {
    for (const option of node.oneOf) {
      const tag = option.properties?.type?.const;
      walk(
        option,
        tag === undefined ? path : `${path} (type ${JSON.stringify(tag)})`,
        required,
        rows,
      );
    }
    return;
  }
  const objectChoice = node.anyOf?.find((choice) => choice.properties);
  if (node.properties || objectChoice) {
    const properties = node.properties ?? objectChoice?.properties ?? {};
    const requiredKeys = new Set(node.properties ? node.required : objectChoice?.required);
    // A section's own object has no row; a nested one (display.kiosk) says what it groups.
    if (path && (objectChoice || path.includes(".")))
      rows.push({ key: path, type: typeOf(node), required, description: node.description ?? "" });
    for (const [key, child] of Object.entries(properties)) {
      walk(
        child,
        path ? `${path}.${key}` : key,
        requiredKeys.has(key) && child.default === undefined,
        rows,
      );
    }
    return;
  }
  if (node.type === "array" && node.items?.properties) {
    rows.push({ key: path, type: "array", required, description: node.description ?? "" });
    walk(node.items, `${path}[]`, false, rows);
    return;
  }
  rows.push({ key: path, type: typeOf(node), required, description: node.description ?? "" });
}

export function configReferenceMarkdown(): string {
  const schema = z.toJSONSchema(configSchema, { io: "input" }) as JsonSchema;
  const rows: Row[] = [];
  walk(schema, "", true, rows);
  const cellText = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");
  return [
    "| key | type | description |",
    "|---|---|---|",
    ...rows.map(
      (row) =>
        `| \`${row.key}\`${row.required ? " **(required)**" : ""} | ${row.type} | ${cellText(row.description)} |`,
    ),
  ].join("\n");
}
