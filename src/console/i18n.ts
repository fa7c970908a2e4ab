import { DateTime } from "luxon";
import { ageText } from "../admin/format.js";
import type { ConsoleLocaleSetting } from "./config-schema.js";
import { de } from "./messages-de.js";
import { en, type Messages } from "./messages-en.js";

export type Locale = "en" | "de";

export const CATALOGUE: Record<Locale, Messages> = { en, de };

/**
 * The console's language: the configured one, or the first of English and German the browser
 * asks for in Accept-Language (by its q-values), English when it asks for neither.
 */
export function chooseLocale(
  setting: ConsoleLocaleSetting,
  acceptLanguage: string | undefined,
): Locale {
  if (setting !== "auto") return setting;
  const wanted = (acceptLanguage ?? "")
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((param) => /^\s*q=([\d.]+)\s*$/.exec(param)?.[1]).find(Boolean);
      return { language: tag.toLowerCase().split("-")[0] ?? "", q: q ? Number(q) : 1, index };
    })
    .filter((choice) => choice.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const choice of wanted) {
    if (choice.language === "de" || choice.language === "en") return choice.language;
  }
  return "en";
}

/** Renders times, numbers and durations for one locale in the site's zone. */
export class Formats {
  readonly locale: Locale;
  readonly zone: string;

  constructor(locale: Locale, zone: string) {
    this.locale = locale;
    this.zone = zone;
  }

  #local(date: Date | string): DateTime {
    return DateTime.fromJSDate(typeof date === "string" ? new Date(date) : date, {
      zone: this.zone,
    }).setLocale(this.locale);
  }

  /** 2026-03-29 07:59 (+02:00): unambiguous in the repeated hour of a DST change. */
  dateTime(date: Date | string): string {
    return this.#local(date).toFormat("yyyy-MM-dd HH:mm (ZZ)");
  }

  time(date: Date | string): string {
    return this.#local(date).toFormat("HH:mm:ss");
  }

  /** 16:30: the end of a shift, on the day its start names. */
  clock(date: Date | string): string {
    return this.#local(date).toFormat("HH:mm");
  }

  /** The value of an <input type="datetime-local"> for this instant in the site's zone. */
  inputDateTime(date: Date): string {
    return this.#local(date).toFormat("yyyy-MM-dd'T'HH:mm");
  }

  hours(minutes: number): string {
    return new Intl.NumberFormat(this.locale, {
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    }).format(Math.round(minutes) / 60);
  }

  /** "3 d 4 h", "2 h 5 min", "40 s" (German: "3 T 4 h"). */
  age(ms: number): string {
    return ageText(ms, this.locale === "de" ? "T" : "d");
  }
}
