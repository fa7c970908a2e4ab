import { existsSync } from "node:fs";
import { readFingerprint } from "../console/tls.js";
import { ConsolePasswordStore } from "../store/console-password.js";
import { databasePath } from "../store/database.js";
import { type Check, type DoctorDeps, type Finding, fail, loadedOf, ok, warn } from "./types.js";

/** Whether a console password is set; null when the database cannot tell (none yet, or older). */
function passwordIsSet(deps: DoctorDeps, dataDir: string): boolean | null {
  const path = databasePath(dataDir);
  if (!existsSync(path)) return null;
  const db = deps.openDb(path);
  try {
    return new ConsolePasswordStore(db).get() !== null;
  } catch {
    return null;
  } finally {
    db.close();
  }
}

/**
 * The web console: where it listens, the certificate's SHA-256 fingerprint (for the admin to
 * compare with the browser's), and whether a password is set. Skipped quietly when it is off.
 */
export const consoleCheck: Check = {
  name: "web console",
  needs: ["config"],
  run(deps, state): Finding {
    const { config } = loadedOf(state);
    const section = config.console;
    if (!section.enabled) return ok("off (console.enabled is false)");
    const scheme = section.https ? "https" : "http";
    const where = `${scheme} on ${section.listen} port ${section.port}`;
    const password = passwordIsSet(deps, config.terminal.dataDir);
    const noPassword =
      password === false
        ? warn(
            `${where}, but no console password is set: nobody can log in`,
            "set one as the service user: sudo -u timeclock timeclock console password",
          )
        : null;
    if (!section.https) return noPassword ?? ok(`${where} (loopback only)`);
    const reading = readFingerprint(config);
    if (!reading.ok) {
      if (reading.reason === "missing" && section.certFile === null) {
        return (
          noPassword ??
          ok(`${where}; the self-signed certificate is made at the first start (${reading.path})`)
        );
      }
      return fail(
        `${where}, but the certificate ${reading.path} cannot be read (${reading.detail})`,
        section.certFile === null
          ? `let the service user read it, or delete ${reading.path} and its key to get a new one at the next start`
          : "fix console.certFile and console.keyFile, or set both to null for a self-signed certificate",
      );
    }
    const finding = `${where}; certificate SHA-256 ${reading.fingerprint} (${reading.selfSigned ? "self-signed" : reading.path}, valid until ${reading.validTo.slice(0, 10)})`;
    return noPassword
      ? { ...noPassword, finding: `${finding}; no console password is set` }
      : ok(finding);
  },
};
