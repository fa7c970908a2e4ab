/** XOR of the five data bytes, as two uppercase hex digits. */
export function checksumOf(badgeId: string): string {
  let xor = 0;
  for (let i = 0; i < 10; i += 2) xor ^= Number.parseInt(badgeId.slice(i, i + 2), 16);
  return xor.toString(16).toUpperCase().padStart(2, "0");
}

/**
 * The 14 bytes an RDM6300 module sends for one badge: STX, 10 hex digits, XOR checksum, ETX.
 * Tests pass a wrong checksum to make a broken frame.
 */
export function rdm6300Frame(badgeId: string, checksum = checksumOf(badgeId)): Buffer {
  return Buffer.concat([
    Buffer.from([0x02]),
    Buffer.from(badgeId + checksum, "latin1"),
    Buffer.from([0x03]),
  ]);
}
