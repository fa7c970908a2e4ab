import { describe, expect, it } from "vitest";
import {
  COMPANY_SEED,
  EMPTY_SEED,
  SEED_PROJECTS,
  SEED_TIME_TYPES,
  SEED_USERS,
  type SimulatorSeed,
  seedProblems,
  startSimulator,
} from "../../src/simulator/index.js";

const admin = { loginEmail: "boss@example.com", apiPassword: "pw" };
const base: SimulatorSeed = { admin, userEmails: [], timeTypes: [], projects: [] };

describe("simulator seeds", () => {
  it("keeps the vendor's example time type and assigns each project to seeded users only", () => {
    expect(SEED_TIME_TYPES.workingHours).toEqual({
      id: "56941eee-86a7-4a8d-8af1-f78b0a688f32",
      name: "working hours",
    });
    expect(seedProblems(COMPANY_SEED)).toEqual([]);
    expect(seedProblems(EMPTY_SEED)).toEqual([]);
    const users = Object.values(SEED_USERS) as string[];
    for (const project of Object.values(SEED_PROJECTS)) {
      expect(project.userEmails.every((email) => users.includes(email))).toBe(true);
    }
  });

  it.each([
    [{ ...base, admin: { loginEmail: "", apiPassword: "" } }, "admin needs a non-empty loginEmail"],
    [{ ...base, userEmails: ["a@x.example", "a@x.example"] }, 'lists "a@x.example" more than once'],
    [
      {
        ...base,
        timeTypes: [
          { id: "t", name: "a" },
          { id: "t", name: "b" },
        ],
      },
      'timeTypes has the id "t" more than once',
    ],
    [
      { ...base, projects: [{ id: "p", name: "P", userEmails: ["ghost@x.example"] }] },
      'project "p" is assigned to "ghost@x.example", who is not in userEmails',
    ],
  ])("names the problem of %j", async (seed, problem) => {
    expect(seedProblems(seed).join("\n")).toContain(problem);
    await expect(startSimulator({ seed })).rejects.toThrow(problem);
  });
});
