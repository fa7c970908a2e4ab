/**
 * pg asks at load whether it runs in a Cloudflare Worker: through `navigator.userAgent` where the
 * runtime has a navigator (Node 21 and later), otherwise by building a fetch `Response`. On Node 20
 * that loads Node's fetch, which compiles its WebAssembly HTTP parser; under the unit's V8 flags
 * (lite mode, no WebAssembly) the compile fails and the daemon ends before "ready". Giving Node 20
 * the navigator that later versions have makes pg ask the first way. Call before importing pg.
 */
export function provideNodeNavigator(): void {
  if ("navigator" in globalThis) return;
  Object.defineProperty(globalThis, "navigator", {
    value: Object.freeze({ userAgent: `Node.js/${process.versions.node.split(".")[0]}` }),
    configurable: true,
    writable: true,
  });
}
