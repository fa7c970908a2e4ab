/**
 * The child process that reads a keyboard-style reader. It grabs the input device exclusively
 * (EVIOCGRAB) so that badge numbers never reach a console login, then copies raw event records to
 * stdout. Being a child keeps the blocking read off libuv's thread pool and needs no native addon.
 *
 * Protocol on stdout: one byte giving the record size of the child's own ABI (24 or 16), then the
 * records. Errors go to stderr as one line "<stage> <ERRNO> <text>" with stage open, grab or read.
 */
export const HID_GRAB_SCRIPT = `
import errno, fcntl, os, struct, sys

EVIOCGRAB = 0x40044590

def fail(stage, error):
    name = errno.errorcode.get(error.errno, "E%s" % error.errno)
    sys.stderr.write("%s %s %s\\n" % (stage, name, error.strerror))
    sys.stderr.flush()
    sys.exit(3)

def write_all(data):
    while data:
        data = data[os.write(1, data):]

try:
    fd = os.open(sys.argv[1], os.O_RDONLY)
except OSError as error:
    fail("open", error)
try:
    fcntl.ioctl(fd, EVIOCGRAB, 1)
except OSError as error:
    fail("grab", error)
write_all(bytes([struct.calcsize("ll") + 8]))
while True:
    try:
        data = os.read(fd, 4096)
    except OSError as error:
        fail("read", error)
    if not data:
        sys.exit(0)
    write_all(data)
`;

export interface GrabFailure {
  stage: string;
  errno: string;
  text: string;
}

/** Parses the child's error line; undefined when stderr held something else (a Python crash). */
export function parseGrabFailure(stderr: string): GrabFailure | undefined {
  const match = /^(open|grab|read) (E[A-Z0-9]+) (.*)$/m.exec(stderr);
  if (!match) return undefined;
  return { stage: match[1] ?? "", errno: match[2] ?? "", text: match[3] ?? "" };
}

/** What went wrong with the device and what to do about it. */
export function explainGrabFailure(path: string, stderr: string, holders: string[]): string {
  const failure = parseGrabFailure(stderr);
  if (!failure) {
    const output = stderr.trim().split("\n").slice(-3).join(" | ") || "no output";
    return `the process reading input device ${path} ended unexpectedly (${output})`;
  }
  const { stage, errno, text } = failure;
  if (errno === "ENOENT" || errno === "ENODEV") {
    return `input device ${path} is not there (unplugged?): plug the USB reader in, or correct reader.path (ls -l /dev/input/by-id/ lists devices; pick the one ending in -event-kbd)`;
  }
  if (errno === "EACCES" || errno === "EPERM") {
    return `no permission to read input device ${path}: add the service user to the input group ("sudo usermod -aG input timeclock") and restart the service`;
  }
  if (stage === "grab" && errno === "EBUSY") {
    const who = holders.length > 0 ? holders.join(", ") : "another process";
    return `input device ${path} is grabbed exclusively by ${who}: stop it (a second timeclock?) and the reader grabs it on its next attempt`;
  }
  if (stage === "grab" && (errno === "ENOTTY" || errno === "EINVAL")) {
    return `${path} is not an input event device: set reader.path to the reader's /dev/input/by-id/...-event-kbd device`;
  }
  return `input device ${path} failed to ${stage}: ${errno} ${text}`;
}
