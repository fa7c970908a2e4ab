import type * as z from "zod";
import { configSchema } from "./schema.js";

/** Renders validation issues so that each names the key path, quotes the value and says what is allowed. */

type Path = readonly PropertyKey[];

export function formatPath(path: Path): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out || "(top level)";
}

function quote(value: unknown): string {
  // A rule across keys can name a key that was left out.
  if (value === undefined) return "(not given)";
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    // Nesting too deep for the stack, or a value JSON cannot write: say what it is instead.
    text = Array.isArray(value) ? "[...]" : "{...}";
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function valueAt(root: unknown, path: Path): unknown {
  let node = root;
  for (const segment of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[segment];
  }
  return node;
}

interface SchemaNode {
  description?: string;
  shape?: Record<string, SchemaNode>;
  options?: SchemaNode[];
  unwrap?: () => SchemaNode;
}

/**
 * Walks the schema along a path, choosing the union member the input's `type` selects. A key's
 * description sits on its outermost wrapper (`.default(...).describe(...)`), so the first
 * description met while unwrapping is kept.
 */
function schemaAt(input: unknown, path: Path): SchemaNode | undefined {
  let node: SchemaNode | undefined = configSchema as unknown as SchemaNode;
  for (let i = 0; i <= path.length && node; i++) {
    const description: string | undefined = node.description;
    while (node && !node.shape && (node.unwrap || node.options)) {
      if (node.options) {
        const type = (valueAt(input, path.slice(0, i)) as { type?: unknown } | undefined)?.type;
        node = node.options.find((option) => {
          const literal = option.shape?.type as { def?: { values?: unknown[] } } | undefined;
          return literal?.def?.values?.includes(type);
        });
      } else node = node.unwrap?.();
    }
    if (i === path.length) {
      return node && { shape: node.shape, description: description ?? node.description };
    }
    node = node?.shape?.[String(path[i])];
  }
  return node;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      const cost = a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

function unknownKeyProblems(input: unknown, path: Path, keys: string[]): string[] {
  const allowed = Object.keys(schemaAt(input, path)?.shape ?? {});
  return keys.map((key) => {
    const near = allowed
      .map((candidate) => ({ candidate, distance: editDistance(key, candidate) }))
      .filter(({ distance }) => distance <= 2)
      .sort((x, y) => x.distance - y.distance)[0];
    const hint = near ? ` Did you mean "${near.candidate}"?` : "";
    return `${formatPath([...path, key])}: unknown key.${hint} Allowed here: ${allowed.join(", ")}.`;
  });
}

export function describeIssues(input: unknown, issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys")
      return unknownKeyProblems(input, issue.path, issue.keys);
    const value = valueAt(input, issue.path);
    const description = schemaAt(input, issue.path)?.description;
    const allowed = description ? ` ${description}` : "";
    if (value === undefined && issue.code === "invalid_type") {
      return [`${formatPath(issue.path)} is missing.${allowed}`];
    }
    return [`${formatPath(issue.path)} = ${quote(value)}: ${issue.message}.${allowed}`];
  });
}
