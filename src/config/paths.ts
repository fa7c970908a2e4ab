/**
 * Where the config is looked for unless --config says otherwise. A module of its own so that
 * `timeclock --help` and `--version` name it without loading the config's schema.
 */
export const DEFAULT_CONFIG_PATH = "/etc/timeclock/config.json";
