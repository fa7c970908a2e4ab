import { DateTime } from "luxon";
import type { KeyName } from "../gpio/config-schema.js";
import { hoursText } from "./hours.js";
import { DOOR_CATALOGUE, type DoorLocale, type DoorMessages } from "./messages.js";
import type { Booking, DoorFault } from "./screen.js";

/** Intl options of the kiosk's date line; assets/kiosk/kiosk.js uses the same. */
export const DATE_LONG = {
  weekday: "long",
  day: "numeric",
  month: "long",
  year: "numeric",
} as const;

/**
 * The catalogue's words for the parts of a screen, shared by every layout (kiosk page, LCD,
 * OLED), with times in the site's zone and the catalogue's language.
 */
export class DoorWords {
  readonly t: DoorMessages;
  readonly locale: DoorLocale;
  readonly zone: string;

  constructor(locale: DoorLocale, zone: string) {
    this.t = DOOR_CATALOGUE[locale];
    this.locale = locale;
    this.zone = zone;
  }

  #local(at: Date | string): DateTime {
    return DateTime.fromJSDate(typeof at === "string" ? new Date(at) : at, {
      zone: this.zone,
    }).setLocale(this.locale);
  }

  /** 16:30 */
  time(at: Date | string): string {
    return this.#local(at).toFormat("HH:mm");
  }

  /** "Monday, 2 March 2026": the kiosk's date line, as its script writes it with Intl too. */
  dateLong(at: Date | string): string {
    return this.#local(at).setLocale(this.t.intlLocale).toLocaleString(DATE_LONG);
  }

  dateShort(at: Date | string): string {
    return this.#local(at).toFormat(this.t.dateShort);
  }

  /** "8:05 h", "8:05 Std." */
  hours(minutes: number): string {
    return this.t.hours(hoursText(minutes));
  }

  key(key: KeyName): string {
    return this.t.keys[key];
  }

  /** The idle screen's booking line, long (kiosk) or short (character display). */
  booking(booking: Booking, short: boolean): string {
    const idle = this.t.idle;
    switch (booking.state) {
      case "booked":
        return short ? idle.bookedShort : idle.booked;
      case "waiting":
        return short ? idle.waitingShort(booking.count) : idle.waiting(booking.count);
      case "offline":
        return short ? idle.offlineShort(booking.count) : idle.offline(booking.count);
      case "not-booking":
        return short ? idle.notBookingShort : idle.notBooking;
    }
  }

  fault(fault: DoorFault, short: boolean): string {
    const idle = this.t.idle;
    if (fault === "reader") return short ? idle.readerFaultShort : idle.readerFault;
    return short ? idle.clockUnsureShort : idle.clockUnsure;
  }
}
