/**
 * The accounts a simulator can start with. The company seed is what tests, benchmarks and the demo
 * name by constant, so its emails and ids are fixed; the admin uses the vendor's example values.
 */

export interface SeedAdmin {
  readonly loginEmail: string;
  readonly apiPassword: string;
}

export interface SeedTimeType {
  readonly id: string;
  readonly name: string;
}

export interface SeedProject {
  readonly id: string;
  readonly name: string;
  /** Login emails of the users this project is assigned to. */
  readonly userEmails: readonly string[];
}

export interface SimulatorSeed {
  readonly admin: SeedAdmin;
  /** Login emails of the account's users; the admin is added if missing. */
  readonly userEmails: readonly string[];
  readonly timeTypes: readonly SeedTimeType[];
  readonly projects: readonly SeedProject[];
  /** The account feature "Lockable time entries": entries carry `locked` (v2.1). Default: true. */
  readonly lockableEntries?: boolean;
}

export const SEED_ADMIN = { loginEmail: "admin@gtsandbox.en", apiPassword: "12345678" } as const;

export const SEED_USERS = {
  admin: SEED_ADMIN.loginEmail,
  anna: "anna.schmidt@gtsandbox.en",
  ben: "ben.meyer@gtsandbox.en",
  clara: "clara.wagner@gtsandbox.en",
  deniz: "deniz.kaya@gtsandbox.en",
  emil: "emil.novak@gtsandbox.en",
} as const;

export const SEED_TIME_TYPES = {
  workingHours: { id: "56941eee-86a7-4a8d-8af1-f78b0a688f32", name: "working hours" },
  break: { id: "f4cd2e10-721a-4ad1-9b8f-9c37a0320d92", name: "break" },
  travel: { id: "a1b4a9d0-2c6b-4033-9c69-9073ff810a4f", name: "travel" },
} as const;

export const SEED_PROJECTS = {
  warehouse: {
    id: "2352e4ce-8472-4504-ba8c-8bf7d213d71f",
    name: "Warehouse",
    userEmails: [SEED_USERS.anna, SEED_USERS.ben, SEED_USERS.deniz],
  },
  workshop: {
    id: "a23fb75e-a71f-4e1a-9b17-9fd16b465d3e",
    name: "Workshop",
    userEmails: [SEED_USERS.ben, SEED_USERS.clara],
  },
  customerSite: {
    id: "14f6afe8-0781-4e14-9fb6-bb62ec67469d",
    name: "Customer site",
    userEmails: [SEED_USERS.emil],
  },
} as const;

/** A small company: the admin, five employees, three time types, three partly assigned projects. */
export const COMPANY_SEED: SimulatorSeed = {
  admin: SEED_ADMIN,
  userEmails: Object.values(SEED_USERS),
  timeTypes: Object.values(SEED_TIME_TYPES),
  projects: Object.values(SEED_PROJECTS),
  lockableEntries: true,
};

/** Only the admin: no employees, time types or projects. */
export const EMPTY_SEED: SimulatorSeed = {
  admin: SEED_ADMIN,
  userEmails: [SEED_ADMIN.loginEmail],
  timeTypes: [],
  projects: [],
  lockableEntries: true,
};

function duplicates(values: readonly string[]): string[] {
  return [...new Set(values.filter((value, i) => values.indexOf(value) !== i))];
}

/** What is inconsistent in a seed, one sentence each; empty when it can be served. */
export function seedProblems(seed: SimulatorSeed): string[] {
  const problems: string[] = [];
  if (!seed.admin.loginEmail || !seed.admin.apiPassword) {
    problems.push("admin needs a non-empty loginEmail and apiPassword");
  }
  const users = new Set([seed.admin.loginEmail, ...seed.userEmails]);
  for (const email of duplicates(seed.userEmails)) {
    problems.push(`userEmails lists ${JSON.stringify(email)} more than once`);
  }
  for (const id of duplicates(seed.timeTypes.map((type) => type.id))) {
    problems.push(`timeTypes has the id ${JSON.stringify(id)} more than once`);
  }
  for (const id of duplicates(seed.projects.map((project) => project.id))) {
    problems.push(`projects has the id ${JSON.stringify(id)} more than once`);
  }
  for (const project of seed.projects) {
    for (const email of project.userEmails.filter((e) => !users.has(e))) {
      problems.push(
        `project ${JSON.stringify(project.id)} is assigned to ${JSON.stringify(email)}, who is not in userEmails`,
      );
    }
  }
  return problems;
}

/** The seed to start from; throws listing every problem of a custom seed. */
export function resolveSeed(seed: "company" | "empty" | SimulatorSeed | undefined): SimulatorSeed {
  if (seed === undefined || seed === "company") return COMPANY_SEED;
  if (seed === "empty") return EMPTY_SEED;
  const problems = seedProblems(seed);
  if (problems.length > 0)
    throw new Error(`the simulator seed cannot be served: ${problems.join("; ")}`);
  return seed;
}
