import { sendControl } from "../control/client.js";
import { controlSocketPath } from "../control/protocol.js";
import type { DaemonAnswer, DaemonLink, DaemonNote } from "./deps.js";

/** The running daemon through its control socket; a daemon that is not there is a note. */
export function socketDaemonLink(dataDir: string): DaemonLink {
  const path = controlSocketPath(dataDir);
  const link: DaemonLink = {
    async ask(request, options = {}): Promise<DaemonAnswer> {
      const delivery = await sendControl(path, request, options.timeoutMs);
      if (!delivery.delivered) {
        return {
          answered: false,
          note: { told: false, reason: delivery.reason, detail: delivery.detail },
        };
      }
      const reply = delivery.reply;
      if (!reply.ok) {
        return {
          answered: false,
          note: {
            told: false,
            reason: "refused",
            detail: `the terminal did not take the message (${reply.error.code}: ${reply.error.message})`,
          },
        };
      }
      return { answered: true, reply };
    },
    async notify(request): Promise<DaemonNote> {
      const answer = await link.ask(request);
      if (!answer.answered) {
        return answer.note.reason === "refused"
          ? {
              ...answer.note,
              detail: `${answer.note.detail}; the change is saved and takes effect when it next looks`,
            }
          : answer.note;
      }
      const { reply } = answer;
      return { told: true, detail: reply.type === "done" ? reply.detail : "the terminal answered" };
    },
  };
  return link;
}

/** For sessions that only read: nothing to tell, nobody asked. */
export const READ_ONLY_LINK: DaemonLink = {
  notify: async () => ({ told: false, reason: "not-running", detail: "nothing was changed" }),
  ask: async () => ({
    answered: false,
    note: {
      told: false,
      reason: "not-running",
      detail: "a read-only session asks the terminal nothing",
    },
  }),
};
