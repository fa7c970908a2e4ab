/** Cookie attributes of everything the console sets: never sent cross-site, never read by script. */
export const COOKIE_OPTIONS = {
  path: "/",
  httpOnly: true,
  secure: true,
  sameSite: "strict",
} as const;

/** `__Host-`: browsers keep such a cookie only when Secure, for /, and for this host alone. */
export const SESSION_COOKIE = "__Host-timeclock-session";

/** The CSRF secret's cookie. */
export const CSRF_COOKIE = "__Host-timeclock-csrf";

/** Whose form tokens the forms shown before login carry (the login form itself). */
export const ANONYMOUS = "anonymous";
