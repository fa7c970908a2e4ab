/**
 * The admin layer: every use case an admin front end offers (the CLI today, the web console
 * next), over the store, with typed inputs and results and one error class with stable codes.
 * It knows nothing of commander or HTTP; a front end parses, calls one of these, and presents
 * the result or the AdminError.
 */
export { type AuditEvent, listAudit } from "./audit.js";
export { backupCopy } from "./backup.js";
export { exportBadges, type ImportBadgesResult, importBadges } from "./badge-import.js";
export { DIGIT_FORMS, type DigitForm } from "./badge-input.js";
export {
  clearBadgePin,
  type PinAttempt,
  type PinHolder,
  type PinTarget,
  pinHolders,
  pinTarget,
  type SetPinResult,
  setBadgePin,
  tryPin,
  unlockBadgePin,
} from "./badge-pins.js";
export type { CatalogResult, CatalogSource, ServerCatalog } from "./badge-rules.js";
export {
  type AddBadgeResult,
  addBadge,
  type BadgeView,
  type EditBadgeResult,
  editBadge,
  listBadges,
  type RemoveBadgeResult,
  removeBadge,
  type UnknownBadgeView,
  unknownBadges,
} from "./badges.js";
export {
  checkConsolePassword,
  consolePasswordVersion,
  PASSWORD_LENGTH,
  type PasswordCheck,
  passwordProblem,
  SCRYPT_COST,
  setConsolePassword,
} from "./console-password.js";
export { READ_ONLY_LINK, socketDaemonLink } from "./daemon-link.js";
export type { AdminDeps, DaemonAnswer, DaemonLink, DaemonNote } from "./deps.js";
export {
  armEnrolment,
  cancelEnrolment,
  type EnrolmentView,
  enrolmentState,
  mappingOfCaptured,
  type SaveEnrolmentInput,
  saveEnrolment,
  waitForEnrolment,
} from "./enrol.js";
export type {
  AdminEntry,
  AdminReview,
  AdminTap,
  EntryStore,
} from "./entry-store.js";
export { entriesOf, localEntryStore } from "./entry-store-local.js";
export { ADMIN_ERROR_CODES, AdminError, type AdminErrorCode, isAdminError } from "./errors.js";
export { EXPORT_TABLES, type ExportTables, exportRecords } from "./export.js";
export {
  AttemptWindow,
  afterWrongPin,
  isLocked,
  type LockoutPolicy,
  PIN_LENGTH,
  pinProblem,
} from "./pin-rules.js";
export {
  discardEntry,
  type EditEntryResult,
  editEntry,
  listQueue,
  QUEUE_FILTERS,
  type QueueEntry,
  type QueueFilter,
  type RetryResult,
  retryEntries,
} from "./queue.js";
export {
  decimalHours,
  type HoursCell,
  type HoursReport,
  hoursReport,
  hoursReportCsv,
  REPORT_PERIODS,
  type ReportPeriod,
} from "./reports.js";
export {
  type BookReviewResult,
  bookReview,
  discardReview,
  listReviews,
  MAX_BOOKED_HOURS,
} from "./review.js";
export {
  type SiteDoorView,
  type SiteStatusResult,
  type SiteStatusSource,
  type SiteStatusView,
  siteStatus,
} from "./site-status.js";
export {
  type Attention,
  type AttentionCode,
  assessStatus,
  type RunningProbe,
  readStatus,
  type StatusInputs,
  type StatusLevel,
  statusLevel,
} from "./status.js";
export { listTaps, type TapQuery, type TapRow } from "./taps.js";
