/** The 14 bytes an RDM6300 module sends for one badge: STX, 10 hex digits, XOR checksum, ETX. */
export function rdm6300Frame(badgeId: string): Buffer {
  let xor = 0;
  for (let i = 0; i < 10; i += 2) xor ^= Number.parseInt(badgeId.slice(i, i + 2), 16);
  const checksum = xor.toString(16).toUpperCase().padStart(2, "0");
  return Buffer.concat([
    Buffer.from([0x02]),
    Buffer.from(badgeId + checksum, "latin1"),
    Buffer.from([0x03]),
  ]);
}
