#!/usr/bin/env bash
# Removes the timeclock service and program. Keeps the journal and the configuration unless --purge.
set -euo pipefail

readonly SERVICE=timeclock
readonly PROGRAM_DIR=/opt/timeclock
readonly CONFIG_DIR=/etc/timeclock
readonly STATE_DIR=/var/lib/timeclock
readonly UNIT_FILE=/etc/systemd/system/timeclock.service

usage() {
  cat <<EOF
Usage: sudo $0 [OPTIONS]

Stops and disables the systemd service "${SERVICE}", removes ${UNIT_FILE} and ${PROGRAM_DIR}.
Keeps ${STATE_DIR} (the journal of taps and shifts not yet booked) and ${CONFIG_DIR}
(config.json, apipassword), so that a later install.sh carries on where this one stopped.

Options:
  --purge       also delete ${STATE_DIR}, ${CONFIG_DIR} and the user and group ${SERVICE}
                (the shared groups dialout, gpio and input stay). Shifts not yet booked are lost.
  --root DIR    uninstall from DIR as a filesystem root, as install.sh --root installed it
  -h, --help    show this help
EOF
}

note() { echo "uninstall.sh: $*"; }

root=""
purge=0
while (($#)); do
  case "$1" in
    --purge) purge=1; shift ;;
    --root) root="${2:?--root needs a DIR}"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "uninstall.sh: unknown option \"$1\"; see --help" >&2; exit 64 ;;
  esac
done

if ((EUID != 0)); then
  echo "uninstall.sh: run as root (sudo $0)" >&2
  exit 1
fi
if [[ -n "$root" ]]; then
  if [[ ! -d "$root" ]]; then
    echo "uninstall.sh: --root \"$root\" is not a directory" >&2
    exit 1
  fi
  root="$(cd "$root" && pwd)"
  [[ "$root" != / ]] || root=""
fi

if [[ -n "$root" ]]; then
  if [[ -e "$root$UNIT_FILE" ]]; then
    systemctl --root="$root" --quiet disable "$SERVICE.service"
  fi
elif systemctl cat "$SERVICE.service" >/dev/null 2>&1; then
  systemctl --quiet disable --now "$SERVICE.service"
  note "stopped and disabled $SERVICE.service"
fi

rm -f "$root$UNIT_FILE"
rm -rf "$root$PROGRAM_DIR" "$root$PROGRAM_DIR.staging" "$root$PROGRAM_DIR.old"
note "removed $UNIT_FILE and $PROGRAM_DIR"
if [[ -z "$root" ]]; then
  systemctl daemon-reload
  systemctl reset-failed "$SERVICE.service" 2>/dev/null || true
fi

if ((purge == 0)); then
  note "kept $STATE_DIR and $CONFIG_DIR; delete them with: sudo $0 --purge${root:+ --root $root}"
  exit 0
fi

rm -rf "$root$STATE_DIR" "$root$CONFIG_DIR"
prefix_args=()
[[ -z "$root" ]] || prefix_args=(--prefix "$root")
if [[ -n "$root" ]]; then
  has_user() { grep -q "^$SERVICE:" "$root/etc/passwd"; }
  has_group() { grep -q "^$SERVICE:" "$root/etc/group"; }
else
  has_user() { getent passwd "$SERVICE" >/dev/null; }
  has_group() { getent group "$SERVICE" >/dev/null; }
fi
if has_user; then userdel "${prefix_args[@]}" "$SERVICE"; fi
# userdel removes the user's own group only where login.defs says USERGROUPS_ENAB yes.
if has_group; then groupdel "${prefix_args[@]}" "$SERVICE"; fi
note "purged $STATE_DIR, $CONFIG_DIR and the user $SERVICE"
