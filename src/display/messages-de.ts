import type { DoorMessages } from "./messages-en.js";

/** Every text an employee sees at the door, in German: the keys of messages-en.ts. */
export const doorDe: DoorMessages = {
  lang: "de",
  /** The browser's and luxon's locale for the kiosk's date line. */
  intlLocale: "de-DE",
  dateShort: "ccc d.M.",
  hours: (text) => `${text} Std.`,
  hoursShort: (text) => `${text} h`,
  idle: {
    prompt: "Bitte den Ausweis an das Lesegerät halten",
    short: "Ausweis halten",
    booked: "Alle Schichten sind gebucht",
    bookedShort: "Alles gebucht",
    waiting: (count) =>
      count === 1
        ? "1 Schicht wartet auf die Buchung"
        : `${count} Schichten warten auf die Buchung`,
    waitingShort: (count) => `${count} zu buchen`,
    offline: (count) =>
      count === 0
        ? "Keine Verbindung zu GoodTime: Buchungen werden gespeichert und später gebucht"
        : `Keine Verbindung zu GoodTime: ${count} gespeichert, werden später gebucht`,
    offlineShort: (count) => `Kein Netz: ${count}`,
    notBooking: "Schichten werden gespeichert, aber nicht gebucht: bitte dem Büro sagen",
    notBookingShort: "Bucht nicht",
    readerFault: "Das Lesegerät funktioniert nicht: bitte dem Büro sagen",
    readerFaultShort: "LESER-FEHLER",
    clockUnsure: "Die Uhr ist noch nicht gestellt: Buchungen werden gespeichert und später geprüft",
    clockUnsureShort: "Uhrzeit unsicher",
  },
  clockIn: "Kommen",
  clockOut: "Gehen",
  clockInShort: "KOMMEN",
  clockOutShort: "GEHEN",
  welcome: "Willkommen",
  goodbye: "Auf Wiedersehen",
  shift: "Diese Schicht",
  today: "Heute",
  week: "Diese Woche",
  shiftShort: "Schicht",
  todayShort: "Heute",
  weekShort: "Woche",
  breakStarted: "Ihre Pause hat begonnen",
  breakStartedShort: "Pause begonnen",
  stored: "Gespeichert: wird gebucht, sobald das Netz wieder da ist",
  storedShort: "Gespeichert",
  heldClock: "Gespeichert: wird gebucht, sobald die Uhr gestellt ist",
  toReview: "Ihre letzte Schicht prüft das Büro",
  toReviewShort: "Büro prüft es",
  tooSoon: "Zu schnell",
  tooSoonDetail: (seconds) =>
    `Ihre letzte Buchung zählt. Buchungen im Abstand von weniger als ${seconds} s zählen nicht noch einmal.`,
  tooSoonShort: "Zählt schon",
  noOpenShift: "Sie waren nicht eingestempelt",
  noOpenShiftDetail: "Nichts wurde gespeichert. Ohne die Gehen-Taste buchen, um zu kommen.",
  noOpenShiftShort: "Nicht gekommen",
  unknownBadge: "Unbekannter Ausweis",
  unknownBadgeShort: "Unbek. Ausweis",
  unknownBadgeDetail: (id) => `Ausweis-ID ${id}`,
  ambiguousBadge: "Ausweis nicht eindeutig",
  ambiguousBadgeShort: "Ausweis unklar",
  seeOffice: "Bitte im Büro melden",
  seeOfficeShort: "Bitte ins Büro",
  badgeId: (id) => `ID ${id}`,
  keys: {
    in: "Kommen",
    out: "Gehen",
    break: "Pause",
    next: (key) => `Nächste Buchung: ${key}`,
    nextShort: (key) => `Nächste: ${key}`,
    prompt: "Jetzt den Ausweis an das Lesegerät halten",
    promptShort: "Ausweis halten",
    seconds: (seconds) => `${seconds} s`,
    label: "Die nächste Buchung ist",
  },
  enrol: {
    armed: "Neuer Ausweis: jetzt an das Lesegerät halten",
    armedShort: "Neuer Ausweis",
    captured: (id) => `Ausweis ${id} gelesen: das Büro schließt ab`,
    capturedShort: "Ausweis gelesen",
  },
};
