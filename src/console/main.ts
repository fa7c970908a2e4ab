import { runConsoleProcess } from "./process.js";

/** The console process's entry, as `timeclock run` forks it (src/console/supervisor.ts). */
await runConsoleProcess();
