/**
 * Every text an employee sees at the door, in English; messages-de.ts has the same keys in German
 * (TypeScript refuses a missing one). `short` texts are for character displays and must fit 16
 * columns with their values; the kiosk page uses the long ones. Texts with values are functions.
 */
export const doorEn = {
  lang: "en",
  /** luxon format of the date beside the time on a small display. */
  /** The browser's and luxon's locale for the kiosk's date line. */
  intlLocale: "en-GB",
  dateShort: "ccc d LLL",
  hours: (text: string) => `${text} h`,
  hoursShort: (text: string) => `${text} h`,
  idle: {
    prompt: "Hold your badge to the reader",
    short: "Tap your badge",
    booked: "All shifts are booked",
    bookedShort: "All booked",
    waiting: (count: number) =>
      count === 1 ? "1 shift waiting to be booked" : `${count} shifts waiting to be booked`,
    waitingShort: (count: number) => `${count} to book`,
    offline: (count: number) =>
      count === 0
        ? "No connection to GoodTime: taps are stored and booked later"
        : `No connection to GoodTime: ${count} stored, booked when it is back`,
    offlineShort: (count: number) => `${count} kept offline`,
    notBooking: "Shifts are stored but not booked: please tell the office",
    notBookingShort: "Not booking",
    readerFault: "The badge reader does not work: please tell the office",
    readerFaultShort: "READER FAULT",
    clockUnsure: "The clock is not set yet: taps are stored and checked later",
    clockUnsureShort: "Clock not set",
  },
  clockIn: "In",
  clockOut: "Out",
  clockInShort: "IN",
  clockOutShort: "OUT",
  welcome: "Welcome",
  goodbye: "Goodbye",
  shift: "This shift",
  today: "Today",
  week: "This week",
  shiftShort: "Shift",
  todayShort: "Today",
  weekShort: "Week",
  breakStarted: "Your break has started",
  breakStartedShort: "Break started",
  stored: "Stored: will be booked when the network is back",
  storedShort: "Stored for later",
  heldClock: "Stored: booked once the clock is set",
  toReview: "Your last shift went to the office to be checked",
  toReviewShort: "Office checks it",
  tooSoon: "Too soon",
  tooSoonDetail: (seconds: number) =>
    `Your last tap counted. Taps less than ${seconds} s apart are not counted again.`,
  tooSoonShort: "Already counted",
  noOpenShift: "You were not clocked in",
  noOpenShiftDetail: "Nothing was recorded. Tap without the out button to clock in.",
  noOpenShiftShort: "Not clocked in",
  unknownBadge: "Unknown badge",
  unknownBadgeShort: "Unknown badge",
  unknownBadgeDetail: (id: string) => `Badge ID ${id}`,
  ambiguousBadge: "Badge not clear",
  ambiguousBadgeShort: "Badge not clear",
  seeOffice: "Please see the office",
  seeOfficeShort: "See the office",
  badgeId: (id: string) => `ID ${id}`,
  keys: {
    in: "In",
    out: "Out",
    break: "Break",
    next: (key: string) => `Next tap: ${key}`,
    nextShort: (key: string) => `Next: ${key}`,
    prompt: "Now hold your badge to the reader",
    promptShort: "Tap your badge",
    seconds: (seconds: number) => `${seconds} s`,
    label: "The next tap means",
  },
  enrol: {
    armed: "New badge: hold it to the reader now",
    armedShort: "New badge: tap",
    captured: (id: string) => `Badge ${id} read: the office finishes it`,
    capturedShort: "Badge read",
  },
  pin: {
    open: "Forgot badge?",
    choose: "Who are you?",
    search: "Search a name",
    none: "Nobody can tap by PIN yet: the office sets a PIN for each badge.",
    noMatch: "No name matches.",
    previous: "Previous names",
    next: "More names",
    enter: (name: string) => `PIN for ${name}`,
    digit: (digit: string) => `digit ${digit}`,
    erase: "Erase the last digit",
    confirm: "OK",
    cancel: "Cancel",
    back: "Other name",
    lockedNote: (time: string) => `locked until ${time}`,
    wrong: (left: number) =>
      left === 1
        ? "Wrong PIN. One more wrong PIN locks it."
        : `Wrong PIN. ${left} tries left before it locks.`,
    locked: (time: string) =>
      `Too many wrong PINs: locked until ${time}. Use your badge or see the office.`,
    busy: "Too many attempts on this screen: wait a minute.",
    noPin: "There is no PIN for this name any more: please see the office.",
    failed: "The terminal did not answer: please see the office.",
    refused: "Not counted: please see the office.",
  },
} as const;

type Widen<T> = T extends string
  ? string
  : T extends (...args: infer A) => string
    ? (...args: A) => string
    : { [K in keyof T]: Widen<T[K]> };

export type DoorMessages = Widen<typeof doorEn>;
