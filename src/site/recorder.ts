import type { Clock } from "../core/clock.js";
import type { PairingSettings, TapIntent, TapTime } from "../pairing/pairing.js";
import type { EntryDefaults, RecordedTap, TapRead } from "../store/journal.js";
import { pairSiteTap, tapKey } from "../store/site/taps.js";
import type { SiteJournal, SiteVerdict } from "../store/site-journal.js";
import type { SiteRecorder } from "../terminal/terminal.js";
import { within } from "./deadline.js";
import type { SiteLink } from "./link.js";

/**
 * A tap in site mode. While the site database answers within `tapTimeoutMs`, the tap is paired
 * there under the user's lock, against what every door recorded; the door then journals it as
 * the site decided, and only then is the employee told. When the database does not answer in
 * time (or is known to be down, or this door's clock is not synchronised, which makes its times
 * useless beside other doors'), the door pairs the tap with what it last knew, journals it as
 * provisional and tells the employee at once; the merge settles it when the database is back.
 */
export interface RecorderDeps {
  terminalId: string;
  link: SiteLink;
  journal: SiteJournal;
  settings: PairingSettings;
  defaults: EntryDefaults;
  tapTimeoutMs: number;
  clock: Clock;
  newId: () => string;
}

export function siteRecorder(deps: RecorderDeps): SiteRecorder {
  return {
    async record(read: TapRead, time: TapTime, intent?: TapIntent): Promise<RecordedTap> {
      const { journal, link } = deps;
      const tapId = journal.nextTapId();
      const newEntryId = deps.newId();
      if (link.online && time.synced) {
        let verdict: SiteVerdict | undefined;
        try {
          verdict = await within(
            pairSiteTap(
              link.tapPool,
              {
                terminalId: deps.terminalId,
                tapId,
                read,
                time,
                ...(intent ? { intent } : {}),
                newEntryId,
              },
              {
                settings: deps.settings,
                defaults: deps.defaults,
                statementTimeoutMs: deps.tapTimeoutMs,
                now: deps.clock.now(),
              },
            ),
            deps.tapTimeoutMs,
            `the site database did not answer within ${deps.tapTimeoutMs} ms`,
          );
        } catch (error) {
          link.noteTrouble(error);
        }
        if (verdict) return journal.recordDecided(tapId, read, time, verdict);
      }
      const tap = journal.recordProvisional(
        tapId,
        tapKey(deps.terminalId, tapId),
        read,
        time,
        deps.settings,
        deps.defaults,
        newEntryId,
        intent,
      );
      link.noteWaiting();
      return tap;
    },
  };
}
