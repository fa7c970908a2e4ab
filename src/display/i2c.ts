/**
 * The one thing the display drivers need of an I2C bus: write bytes to a device in one
 * transaction. The real bus is the `i2c-bus` package on /dev/i2c-N; tests and benchmarks pass
 * fakes that decode what a real display would show, or take their time.
 */
export interface I2cLink {
  write(address: number, bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/** Opens /dev/i2c-`bus`. The native addon is loaded only here, when a display is configured. */
export async function openI2cBus(bus: number): Promise<I2cLink> {
  const { default: i2c } = await import("i2c-bus");
  const opened = await i2c.openPromisified(bus);
  return {
    async write(address, bytes) {
      const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const written = await opened.i2cWrite(address, buffer.length, buffer);
      if (written.bytesWritten !== buffer.length) {
        throw new Error(
          `I2C device 0x${address.toString(16)} on /dev/i2c-${bus} took ${written.bytesWritten} of ${buffer.length} bytes`,
        );
      }
    },
    close: () => opened.close(),
  };
}

/** Resolves after `ms`; the HD44780 needs pauses in its start-up. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
