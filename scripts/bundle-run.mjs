// Bundles what `timeclock run` loads before "ready" into one ES module, dist/bundle/run.js, from
// the JavaScript tsc wrote to dist/ (part of `npm run build`). Node 20's ESM loader costs about as
// much per module as the code itself: the run path was ~350 modules (zod alone 95). The bundle
// holds the CLI's program, the run command and the daemon; what the daemon loads later, or only
// by other commands (their modules) or later (got, i2c-bus), stays a dynamic import of the file
// tsc wrote or of the package, so it stays as lazy as before. Native modules stay external.
// Writes dist/bundle/run.inputs.json too: the source files in the bundle, for the test that keeps
// the run path free of what it must not load (test/cli/lazy-commands.test.ts).
import { existsSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { build } from "esbuild";

const DIST = resolve("dist");
const OUT_FILE = resolve(DIST, "bundle/run.js");

/**
 * Dynamic imports that go into the bundle: what `run` needs before ready, and site mode's parts,
 * which share the daemon's modules (a second copy of those, loaded from dist/, would have classes
 * of its own, and instanceof StoreError would fail across the two). Bundled, they still run only
 * when imported.
 */
const BUNDLED_DYNAMIC = new Set([
  resolve(DIST, "cli/commands/run.js"),
  resolve(DIST, "terminal/daemon.js"),
  resolve(DIST, "site/assemble.js"),
]);

/**
 * Packages with native code (loaded through node-gyp-build or bindings from their own folder), and
 * onoff, which requires epoll. A package with a binding.gyp that ends up in the bundle anyway
 * fails the build below: its loader would look for the compiled addon next to the bundle.
 */
const NATIVE = ["better-sqlite3", "@serialport/bindings-cpp", "onoff", "epoll", "i2c-bus"];

/** Every dynamic import outside BUNDLED_DYNAMIC stays one, to the file as it is in dist/ or node_modules. */
const keepLazyImportsLazy = {
  name: "keep-lazy-imports-lazy",
  setup(builder) {
    builder.onResolve({ filter: /.*/ }, async (args) => {
      if (args.kind !== "dynamic-import" || args.pluginData === "resolving") return undefined;
      const resolved = await builder.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: "resolving",
      });
      if (resolved.errors.length > 0 || BUNDLED_DYNAMIC.has(resolved.path)) return undefined;
      if (!args.path.startsWith(".")) return { path: args.path, external: true };
      const fromBundle = relative(dirname(OUT_FILE), resolved.path);
      return { path: fromBundle.startsWith(".") ? fromBundle : `./${fromBundle}`, external: true };
    });
  },
};

const result = await build({
  entryPoints: [resolve(DIST, "cli/program.js")],
  outfile: OUT_FILE,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // Not pg: an external package becomes an import at the top of the bundle, loaded at start, and
  // pg loads Node's fetch, which the unit's --no-expose-wasm does not allow. Bundled, it is
  // evaluated with site mode's parts, as before.
  external: NATIVE,
  plugins: [keepLazyImportsLazy],
  // The CommonJS packages bundled into an ES module call require() for Node's own modules.
  banner: {
    js: 'import { createRequire as createRequireForBundle } from "node:module";\nconst require = createRequireForBundle(import.meta.url);',
  },
  metafile: true,
  legalComments: "none",
  // Less to parse at each start (about 25 ms here); names stay, as logs and errors show them.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: "warning",
});

const inputs = Object.keys(result.metafile.inputs).sort();
const bundledNative = new Set(
  inputs
    .map((input) => /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1])
    .filter((root) => root !== undefined && existsSync(join(root, "binding.gyp"))),
);
if (bundledNative.size > 0) {
  throw new Error(
    `the run bundle would hold native packages (${[...bundledNative].join(", ")}); add them to NATIVE in scripts/bundle-run.mjs`,
  );
}
writeFileSync(resolve(DIST, "bundle/run.inputs.json"), `${JSON.stringify(inputs, null, 1)}\n`);
