import { X509Certificate } from "node:crypto";
import { chmodSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { hostname, networkInterfaces } from "node:os";
import { join } from "node:path";
import type { Config } from "../config/schema.js";

/** The self-signed certificate and key made on first start, kept in terminal.dataDir. */
export const SELF_SIGNED_CERT = "console-cert.pem";
export const SELF_SIGNED_KEY = "console-key.pem";

/** Five years: the admin checks the fingerprint once; a shorter life would only add warnings. */
const VALID_DAYS = 5 * 365;

export interface TlsPaths {
  cert: string;
  key: string;
  /** Made by the console itself (no certFile in the config). */
  selfSigned: boolean;
}

export function tlsPaths(config: Config): TlsPaths {
  const { certFile, keyFile } = config.console;
  if (certFile !== null && keyFile !== null) {
    return { cert: certFile, key: keyFile, selfSigned: false };
  }
  const dir = config.terminal.dataDir;
  return { cert: join(dir, SELF_SIGNED_CERT), key: join(dir, SELF_SIGNED_KEY), selfSigned: true };
}

/** "AB:CD:…", the SHA-256 fingerprint browsers show in their certificate viewer. */
export function fingerprintOf(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

export type FingerprintReading =
  | { ok: true; fingerprint: string; path: string; selfSigned: boolean; validTo: string }
  | { ok: false; path: string; reason: "missing" | "unreadable"; detail: string };

/** The certificate's fingerprint for status and doctor, or why it cannot be read. */
export function readFingerprint(config: Config): FingerprintReading {
  const paths = tlsPaths(config);
  let pem: string;
  try {
    pem = readFileSync(paths.cert, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return {
      ok: false,
      path: paths.cert,
      reason: code === "ENOENT" ? "missing" : "unreadable",
      detail: code,
    };
  }
  try {
    const cert = new X509Certificate(pem);
    return {
      ok: true,
      fingerprint: cert.fingerprint256,
      path: paths.cert,
      selfSigned: paths.selfSigned,
      validTo: new Date(cert.validTo).toISOString(),
    };
  } catch (error) {
    return {
      ok: false,
      path: paths.cert,
      reason: "unreadable",
      detail: `not a PEM certificate (${(error as Error).message})`,
    };
  }
}

/** The names this machine is reached by today: host name, its .local name, every address. */
function subjectNames(): { dns: string[]; ips: string[] } {
  const host = hostname();
  const dns = [...new Set([host, `${host}.local`, "localhost"])];
  const ips = new Set(["127.0.0.1", "::1"]);
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (!address.address.startsWith("fe80:")) ips.add(address.address);
    }
  }
  return { dns, ips: [...ips] };
}

function writePrivately(path: string, text: string, mode: number): void {
  const partial = `${path}.partial`;
  writeFileSync(partial, text, { mode });
  chmodSync(partial, mode);
  renameSync(partial, path);
}

export interface TlsMaterial {
  cert: string;
  key: string;
  fingerprint: string;
  paths: TlsPaths;
  /** The self-signed pair was made just now. */
  created: boolean;
}

/**
 * The console's certificate and key: the configured files, or the self-signed pair in the data
 * directory, made on first start (ECDSA P-256: quick to make and to use on a Pi). The key is
 * written readable by the service user only, before the certificate, so a crash in between
 * leaves no certificate without its key.
 */
export async function ensureTlsMaterial(config: Config): Promise<TlsMaterial> {
  const paths = tlsPaths(config);
  const read = () => ({
    cert: readFileSync(paths.cert, "utf8"),
    key: readFileSync(paths.key, "utf8"),
  });
  try {
    const pair = read();
    return { ...pair, fingerprint: fingerprintOf(pair.cert), paths, created: false };
  } catch (error) {
    if (!paths.selfSigned || (error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const names = subjectNames();
  const now = new Date();
  // Loaded only for the first start: its certificate libraries cost memory the console keeps.
  const { generate } = await import("selfsigned");
  const pems = await generate([{ name: "commonName", value: `timeclock ${hostname()}` }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: new Date(now.getTime() + VALID_DAYS * 86_400_000),
    extensions: [
      { name: "basicConstraints", cA: false, critical: true },
      { name: "keyUsage", digitalSignature: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          ...names.dns.map((value) => ({ type: 2 as const, value })),
          ...names.ips.map((ip) => ({ type: 7 as const, ip })),
        ],
      },
    ],
  });
  writePrivately(paths.key, pems.private, 0o600);
  writePrivately(paths.cert, pems.cert, 0o644);
  return {
    cert: pems.cert,
    key: pems.private,
    fingerprint: fingerprintOf(pems.cert),
    paths,
    created: true,
  };
}
