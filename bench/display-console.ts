#!/usr/bin/env node
import { runConsoleProcess } from "../src/console/process.js";
import type { I2cLink } from "../src/display/i2c.js";

/**
 * The console process of the display benchmark: `timeclock run`'s own console process, with an
 * I2C bus that takes TIMECLOCK_BENCH_I2C_MS (50) per write instead of /dev/i2c-N, as a display on a
 * long cable at a low clock or a bus a stuck device holds would. Once a second it prints how many
 * writes the display made as a JSON line, so the benchmark can tell the display was kept busy.
 */
const writeMs = Number(process.env.TIMECLOCK_BENCH_I2C_MS ?? "50");
let writes = 0;
let busyMs = 0;

function slowBus(): I2cLink {
  return {
    async write() {
      await new Promise((resolve) => setTimeout(resolve, writeMs));
      writes++;
      busyMs += writeMs;
    },
    async close() {},
  };
}

setInterval(() => {
  process.stdout.write(
    `${JSON.stringify({ level: "info", time: new Date().toISOString(), msg: "bench display bus", writes, busyMs })}\n`,
  );
}, 1000).unref();

await runConsoleProcess({ openBus: async () => slowBus() });
