import { doorDe } from "./messages-de.js";
import { type DoorMessages, doorEn } from "./messages-en.js";

/** The languages of the door (terminal.locale). */
export const DOOR_LOCALES = ["en", "de"] as const;
export type DoorLocale = (typeof DOOR_LOCALES)[number];

export const DOOR_CATALOGUE: Record<DoorLocale, DoorMessages> = { en: doorEn, de: doorDe };

export type { DoorMessages };
