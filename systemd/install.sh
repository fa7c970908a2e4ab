#!/usr/bin/env bash
# Installs timeclock as a systemd service. Safe to run again: what is already right stays as it is.
set -euo pipefail

readonly SERVICE=timeclock
readonly DEVICE_GROUPS=(dialout gpio input i2c)
readonly PROGRAM_DIR=/opt/timeclock
readonly CONFIG_DIR=/etc/timeclock
readonly STATE_DIR=/var/lib/timeclock
readonly UNIT_DIR=/etc/systemd/system
readonly PASSWORD_ENV=TIMECLOCK_API_PASSWORD

usage() {
  cat <<EOF
Usage: sudo $0 [OPTIONS]

Installs timeclock as the systemd service "${SERVICE}" from this built checkout (run "npm ci" in it first).

  - creates the system user ${SERVICE}, in groups ${DEVICE_GROUPS[*]} (creating missing groups)
  - copies dist/, package.json, package-lock.json, config.example.json, systemd/ and the
    production part of node_modules/ to ${PROGRAM_DIR} (Node packages as built by "npm ci" on
    this machine, so nothing is downloaded or compiled again), plus ${PROGRAM_DIR}/bin/timeclock
  - installs ${UNIT_DIR}/${SERVICE}.service
  - creates ${CONFIG_DIR}/config.json from config.example.json if there is none (root:${SERVICE} 0640)
  - writes the GoodTime API password to ${CONFIG_DIR}/apipassword (root 0600), read by systemd
    and handed to the service as a credential
  - creates ${STATE_DIR} (${SERVICE}:${SERVICE} 0750) for the journal database
  - reloads systemd, enables the service and (re)starts it; on a first install, when config.json
    was just made from the example, it waits for you to edit it and start the service yourself

Options:
  --password-file FILE  take the API password from the first line of FILE
                        (otherwise from \$${PASSWORD_ENV}, else keep the installed one, else ask)
  --no-start            install and enable, but do not start or restart the service
  --root DIR            install into DIR as a filesystem root (images, tests): every path is
                        prefixed with DIR, users are added to DIR/etc/passwd, nothing is started
  --source DIR          the built checkout to install (default: the one containing this script)
  --node PATH           the Node.js binary the service runs (default: node in PATH, version 20+)
  -h, --help            show this help

Then edit ${CONFIG_DIR}/config.json and run: sudo systemctl restart ${SERVICE}
EOF
}

fail() {
  echo "install.sh: $*" >&2
  exit 1
}

note() { echo "install.sh: $*"; }

root=""
password_file=""
start=1
source_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
node_bin=""

while (($#)); do
  case "$1" in
    --password-file) password_file="${2:?--password-file needs a FILE}"; shift 2 ;;
    --no-start) start=0; shift ;;
    --root) root="${2:?--root needs a DIR}"; shift 2 ;;
    --source) source_dir="${2:?--source needs a DIR}"; shift 2 ;;
    --node) node_bin="${2:?--node needs a PATH}"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "install.sh: unknown option \"$1\"; see --help" >&2; exit 64 ;;
  esac
done

((EUID == 0)) || fail "run as root (sudo $0): it creates a user and root-owned files"
if [[ -n "$root" ]]; then
  [[ -d "$root" ]] || fail "--root \"$root\" is not a directory"
  root="$(cd "$root" && pwd)"
  [[ "$root" != / ]] || root=""
fi

for needed in dist/cli/main.js package.json package-lock.json config.example.json \
  systemd/timeclock.service systemd/README.md node_modules; do
  [[ -e "$source_dir/$needed" ]] ||
    fail "$source_dir/$needed is missing; run \"npm ci\" in $source_dir first (it also builds dist/)"
done

node_bin="${node_bin:-$(command -v node || true)}"
[[ -n "$node_bin" ]] || fail "node is not installed; install Node.js 20 or newer (see systemd/README.md)"
[[ "$node_bin" == /* ]] || fail "--node \"$node_bin\" must be an absolute path"
# The wrapper keeps the path as found (e.g. /usr/bin/node), which survives upgrades; where it
# finally leads must be outside the home directories that the unit hides.
case "$(readlink -m "$node_bin")" in
  /home/* | /root/* | /run/user/*)
    fail "node at $node_bin is hidden from the service (ProtectHome=yes); install Node.js system-wide (NodeSource or apt), not with nvm" ;;
esac
[[ -x "$node_bin" ]] || fail "node at $node_bin is not an executable file"
node_major="$("$node_bin" -p 'process.versions.node.split(".")[0]')"
((node_major >= 20)) || fail "node at $node_bin is version $node_major; timeclock needs Node.js 20 or newer"

# Account helpers: with --root they edit DIR/etc/{passwd,group,shadow,gshadow} (shadow's --prefix).
prefix_args=()
[[ -z "$root" ]] || prefix_args=(--prefix "$root")

group_line() {
  if [[ -z "$root" ]]; then getent group "$1" || true; else grep "^$1:" "$root/etc/group" || true; fi
}
user_line() {
  if [[ -z "$root" ]]; then getent passwd "$1" || true; else grep "^$1:" "$root/etc/passwd" || true; fi
}
group_id() { group_line "$1" | cut -d: -f3; }
user_id() { user_line "$1" | cut -d: -f3; }

ensure_accounts() {
  local group
  for group in "$SERVICE" "${DEVICE_GROUPS[@]}"; do
    if [[ -z "$(group_line "$group")" ]]; then
      groupadd "${prefix_args[@]}" --system "$group"
      note "created group $group"
    fi
  done
  if [[ -z "$(user_line "$SERVICE")" ]]; then
    useradd "${prefix_args[@]}" --system --gid "$SERVICE" --home-dir "$STATE_DIR" --no-create-home \
      --shell /usr/sbin/nologin --comment "timeclock badge terminal" "$SERVICE"
    note "created user $SERVICE"
  fi
  local missing=()
  for group in "${DEVICE_GROUPS[@]}"; do
    [[ ",$(group_line "$group" | cut -d: -f4)," == *",$SERVICE,"* ]] || missing+=("$group")
  done
  if ((${#missing[@]})); then
    usermod "${prefix_args[@]}" --append --groups "$(IFS=,; echo "${missing[*]}")" "$SERVICE"
    note "added user $SERVICE to ${missing[*]}"
  fi
}

# Builds the program tree in a staging directory and swaps it in only if it differs, so a second
# run leaves /opt/timeclock untouched and a failed copy never leaves a half-installed program.
install_program() {
  local target="$root$PROGRAM_DIR" staging="$root$PROGRAM_DIR.staging"
  rm -rf "$staging"
  mkdir -p "$staging/bin" "$staging/systemd"
  cp -R "$source_dir/dist" "$source_dir/node_modules" "$staging/"
  cp "$source_dir/package.json" "$source_dir/package-lock.json" "$source_dir/config.example.json" \
    "$staging/"
  cp "$source_dir/systemd/timeclock.service" "$source_dir/systemd/README.md" "$staging/systemd/"
  # Offline: removes devDependencies (TypeScript, Biome, Vitest) using the lockfile only.
  (cd "$staging" && npm prune --omit=dev --offline --ignore-scripts --no-audit --no-fund \
    --loglevel=error >/dev/null)
  find "$staging/node_modules" -mindepth 1 -type d -empty -delete
  cat >"$staging/bin/timeclock" <<EOF
#!/bin/sh
# Written by systemd/install.sh: the Node.js found at install time runs timeclock, with the
# Node options the service sets in TIMECLOCK_NODE_FLAGS (split into words; unset from a shell).
exec "$node_bin" \${TIMECLOCK_NODE_FLAGS-} "$PROGRAM_DIR/dist/cli/main.js" "\$@"
EOF
  # Root-owned and read-only for everyone else: the service must not be able to change its code.
  chown -R 0:0 "$staging"
  chmod -R u=rwX,go=rX "$staging"
  chmod 0755 "$staging/bin/timeclock"
  if [[ -d "$target" ]] && diff -r --no-dereference "$staging" "$target" >/dev/null 2>&1; then
    rm -rf "$staging"
    note "$PROGRAM_DIR is up to date"
    return
  fi
  rm -rf "$target.old"
  [[ ! -e "$target" ]] || mv "$target" "$target.old"
  mv "$staging" "$target"
  rm -rf "$target.old"
  changed=1
  note "installed the program in $PROGRAM_DIR (runs $node_bin)"
}

install_unit() {
  local from="$source_dir/systemd/timeclock.service" to="$root$UNIT_DIR/$SERVICE.service"
  if ! cmp -s "$from" "$to"; then
    install -D -o 0 -g 0 -m 0644 "$from" "$to"
    changed=1
    note "installed $UNIT_DIR/$SERVICE.service"
  fi
}

install_config() {
  local gid="$1" config="$root$CONFIG_DIR/config.json"
  install -d -o 0 -g 0 -m 0755 "$root$CONFIG_DIR"
  if [[ -e "$config" ]]; then
    note "kept $CONFIG_DIR/config.json"
  else
    install -o 0 -g "$gid" -m 0640 "$source_dir/config.example.json" "$config"
    config_created=1
    note "created $CONFIG_DIR/config.json from config.example.json"
  fi
}

# Sets `password` from --password-file, the environment or a prompt; leaves it empty to keep the
# installed file.
read_password() {
  password=""
  if [[ -n "$password_file" ]]; then
    [[ -r "$password_file" ]] || fail "--password-file \"$password_file\" cannot be read"
    IFS= read -r password <"$password_file" || true
    password="${password%$'\r'}"
    [[ -n "$password" ]] || fail "the first line of --password-file \"$password_file\" is empty"
  elif [[ -n "${!PASSWORD_ENV:-}" ]]; then
    password="${!PASSWORD_ENV}"
  elif [[ -s "$root$CONFIG_DIR/apipassword" ]]; then
    return
  elif [[ -t 0 ]]; then
    IFS= read -r -s -p "GoodTime API password (Settings, tab Security): " password
    echo
    [[ -n "$password" ]] || fail "no password entered"
  else
    fail "no API password: pass --password-file FILE, set $PASSWORD_ENV, or run in a terminal to be asked"
  fi
}

# Root-only: systemd reads it as root for LoadCredential=; the service gets its own copy.
install_password() {
  local file="$root$CONFIG_DIR/apipassword"
  if [[ -z "$password" ]] || cmp -s <(printf '%s\n' "$password") "$file"; then
    note "kept $CONFIG_DIR/apipassword"
  else
    (umask 077 && printf '%s\n' "$password" >"$file.new")
    mv -f "$file.new" "$file"
    changed=1
    note "wrote $CONFIG_DIR/apipassword"
  fi
  password=""
  chown 0:0 "$file"
  chmod 0600 "$file"
}

install_state_dir() {
  local uid="$1" gid="$2"
  install -d -o "$uid" -g "$gid" -m 0750 "$root$STATE_DIR"
}

umask 022
# Asked first, so that a missing password stops the install before anything is changed.
read_password
ensure_accounts
service_uid="$(user_id "$SERVICE")"
service_gid="$(group_id "$SERVICE")"
[[ -n "$service_uid" && -n "$service_gid" ]] || fail "user or group $SERVICE was not created"

changed=0
config_created=0
install_program
install_unit
install_config "$service_gid"
install_password
install_state_dir "$service_uid" "$service_gid"

if [[ -n "$root" ]]; then
  systemctl --root="$root" --quiet enable "$SERVICE.service"
  note "enabled $SERVICE.service in $root (not started: --root)"
  exit 0
fi

systemctl daemon-reload
systemctl --quiet enable "$SERVICE.service"
if ((config_created)); then
  # The example's login and time type are placeholders: starting now would only fail to book.
  note "enabled $SERVICE.service; set server.loginEmail and entry.timeTypeId in $CONFIG_DIR/config.json, check it with: sudo $PROGRAM_DIR/bin/timeclock config check, then: sudo systemctl start $SERVICE"
elif ((start == 0)); then
  note "enabled $SERVICE.service; start it with: sudo systemctl start $SERVICE"
elif ((changed)) || ! systemctl --quiet is-active "$SERVICE.service"; then
  systemctl restart "$SERVICE.service"
  note "started $SERVICE.service; follow it with: journalctl -u $SERVICE -f -o cat"
else
  note "$SERVICE.service is running and nothing changed"
fi
