import { DateTime } from "luxon";
import type { BadgeIdentity } from "../badges/badge-id.js";
import { BadgeRepository } from "../store/badges.js";
import { type TapView, tapsMatching } from "../store/reports.js";
import { readTypedBadge } from "./badge-input.js";
import { badgeText, normaliseEmail, optionalText } from "./badge-rules.js";
import { seenBadges } from "./badges.js";
import type { AdminDeps } from "./deps.js";
import { AdminError } from "./errors.js";

export type TapRow = TapView & { badgeText: string };

export interface TapQuery {
  /** Login email; blank for anyone. */
  email?: string;
  /** A badge as admins type it; blank for any. */
  badge?: string;
  /** Local days, inclusive; blank for open-ended. */
  from?: string;
  to?: string;
  limit: number;
}

function day(text: string | undefined, zone: string, what: string): DateTime | null {
  const given = optionalText(text);
  if (given === null) return null;
  const parsed = DateTime.fromISO(given, { zone });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(given) || !parsed.isValid) {
    throw new AdminError(
      "ADM_INVALID",
      `${what} ${JSON.stringify(given)} is not a date such as 2026-03-01`,
    );
  }
  return parsed.startOf("day");
}

/** The tap journal, newest first, filtered by person, badge and local days. */
export function listTaps(deps: AdminDeps, query: TapQuery): TapRow[] {
  const zone = deps.config.terminal.timeZone;
  const emailText = optionalText(query.email);
  let email: string | null = null;
  if (emailText !== null) {
    const parsed = normaliseEmail(emailText);
    if (!parsed.ok) throw new AdminError("ADM_INVALID", parsed.reason);
    email = parsed.email;
  }
  const badgeInput = optionalText(query.badge);
  const badge: BadgeIdentity | null =
    badgeInput === null
      ? null
      : readTypedBadge(badgeInput, undefined, seenBadges(new BadgeRepository(deps.db, deps.clock)))
          .identity;
  const from = day(query.from, zone, "from");
  const to = day(query.to, zone, "to");
  return tapsMatching(deps.db, {
    email,
    badge,
    from: from?.toJSDate() ?? null,
    to: to?.plus({ days: 1 }).toJSDate() ?? null,
    limit: query.limit,
  }).map((tap) => ({ ...tap, badgeText: badgeText(tap) }));
}
