import type { ReaderStatus } from "../readers/reader.js";
import type { ClockDocument, SyncDocument } from "../terminal/status-documents.js";
import type { Booking, DoorFault, IdleFacts } from "./screen.js";

/** What the daemon has published, as the display process reads it. */
export interface PublishedState {
  sync: SyncDocument | null;
  reader: ReaderStatus | null;
  clock: ClockDocument | null;
  /** Entries stored but not booked yet. */
  unbooked: number;
}

/**
 * How booking stands in an employee's words. "offline": GoodTime cannot be reached (the sync
 * paused on an endpoint problem, or its last try failed after the last booking) and shifts wait;
 * "not-booking": nothing will be booked until the office acts (no API password, a refused login).
 */
export function bookingOf(state: PublishedState): Booking {
  const { sync, unbooked } = state;
  if (sync?.phase === "no-credentials" || sync?.phase === "paused-auth") {
    return { state: "not-booking" };
  }
  if (sync?.phase === "paused-endpoint") return { state: "offline", count: unbooked };
  if (unbooked === 0) return { state: "booked" };
  const lastError = sync && "lastError" in sync ? sync.lastError : null;
  const lastBooked = sync && "lastBookedAt" in sync ? sync.lastBookedAt : null;
  if (lastError && (lastBooked === null || lastError.at > lastBooked)) {
    return { state: "offline", count: unbooked };
  }
  return { state: "waiting", count: unbooked };
}

export function faultsOf(state: PublishedState): DoorFault[] {
  const faults: DoorFault[] = [];
  if (state.reader?.state === "reconnecting" || state.reader?.state === "failed") {
    faults.push("reader");
  }
  if (state.clock && !state.clock.synchronized) faults.push("clock");
  return faults;
}

export function idleFacts(state: PublishedState): IdleFacts {
  return { booking: bookingOf(state), faults: faultsOf(state) };
}

/** Taps are stored but cannot be booked right now. */
export function isOffline(booking: Booking): boolean {
  return booking.state === "offline" || booking.state === "not-booking";
}
