import type { KnownBits } from "../badges/badge-id.js";

/** What the terminal is written against; a reader turns bytes into badge IDs and decides nothing else. */

export interface BadgeRead {
  /** Canonical 10 hex characters; the high bits a reader cannot see are zero. */
  badgeId: string;
  knownBits: KnownBits;
  /** The frame or line as received, for the journal. */
  raw: string;
}

export type ReaderState = "starting" | "open" | "reconnecting" | "failed" | "stopped";

export interface ReaderStatus {
  type: string;
  device?: string;
  state: ReaderState;
  /** The last problem and what to do about it. */
  detail?: string;
  /** reads, duplicatesSuppressed, framesDropped, noiseBytes, reopens, ... */
  counters: Record<string, number>;
  /** UTC instant of the last accepted read. */
  lastReadAt?: string;
}

export interface ReaderEvents {
  onBadge(read: BadgeRead): void;
  onStatus?(status: ReaderStatus): void;
  /** The source ended for good and no badge can come any more (standard input was closed). */
  onEnd?(detail: string): void;
}

export interface Reader {
  /** Never throws for a missing device: the reader retries and reports it in its status. */
  start(): Promise<void>;
  /** Ends timers, child processes and ports so that the process can exit. */
  stop(): Promise<void>;
  status(): ReaderStatus;
}
