import * as z from "zod";

/** The `display` section of the config; part of the one config schema in src/config/schema.ts. */

export const DISPLAY_TYPES = ["none", "kiosk", "lcd", "oled"] as const;
export type DisplayType = (typeof DISPLAY_TYPES)[number];

export const LCD_SIZES = ["16x2", "20x4"] as const;
export type LcdSize = (typeof LCD_SIZES)[number];

/** The addresses a PCF8574 backpack (0x20-0x27, PCF8574A 0x38-0x3F) or an SSD1306 (0x3C, 0x3D) answer on. */
export const DEFAULT_ADDRESS = { lcd: 0x27, oled: 0x3c } as const;

const I2C_ADDRESS = /^0x[0-7][0-9a-f]$/i;

/** The 7-bit address of "0x27"; the schema has made sure it is one. */
export function parseI2cAddress(text: string): number {
  return Number.parseInt(text.slice(2), 16);
}

const i2cSchema = z
  .strictObject({
    bus: z
      .int()
      .min(0)
      .max(31)
      .default(1)
      .describe(
        "Number of the I2C bus the display is wired to: 1 is /dev/i2c-1, the bus on header pins 3 (SDA) and 5 (SCL) of every Pi since the B+. Enable it with dtparam=i2c_arm=on (hardware/display.md). 0 to 31. Default: 1.",
      ),
    address: z
      .string()
      .regex(I2C_ADDRESS, 'must be a 7-bit I2C address written in hex, such as "0x27" or "0x3C"')
      .refine((text) => {
        const value = parseI2cAddress(text);
        return value >= 0x08 && value <= 0x77;
      }, "must be from 0x08 to 0x77 (the others are reserved by the I2C standard)")
      .nullable()
      .default(null)
      .describe(
        'I2C address of the display as "i2cdetect -y 1" shows it, in hex: a PCF8574 backpack answers on 0x20 to 0x27 (0x27 with no address jumper closed), a PCF8574A on 0x38 to 0x3F, an SSD1306 on 0x3C or 0x3D. null takes 0x27 for "lcd" and 0x3C for "oled". Default: null.',
      ),
  })
  .describe("Where the I2C display (lcd, oled) is wired.");

const lcdSchema = z
  .strictObject({
    size: z
      .enum(LCD_SIZES)
      .default("16x2")
      .describe(
        'Characters per line and lines of the HD44780 character LCD: "16x2" or "20x4". Default: 16x2.',
      ),
  })
  .describe("The character LCD (HD44780 behind a PCF8574 I2C backpack).");

const oledSchema = z
  .strictObject({
    rotate: z
      .union([z.literal(0), z.literal(180)])
      .default(0)
      .describe(
        "0, or 180 for a 128x64 SSD1306 OLED mounted upside down (its pins at the bottom). Default: 0.",
      ),
  })
  .describe("The SSD1306 OLED, 128x64 pixels.");

const pinSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(false)
      .describe(
        'Forgotten badge: a "Forgot badge?" button on the kiosk page, where an employee picks their name and types the PIN an admin set for their badge (timeclock badges pin); the tap is journalled with the source "pin" and counts like a badge tap. Needs display.type "kiosk". Off, the page lists no names. Default: false (off).',
      ),
    wrongBeforeLock: z
      .int()
      .min(3)
      .max(10)
      .default(5)
      .describe(
        "Wrong PINs in a row that lock a badge's PIN for lockMinutes (kept in the database, so a restart does not lift it; a new PIN or timeclock badges pin --unlock does). 3 to 10. Default: 5.",
      ),
    lockMinutes: z
      .int()
      .min(1)
      .max(1440)
      .default(15)
      .describe(
        "How long a badge's PIN stays locked after wrongBeforeLock wrong PINs. 1 to 1440. Default: 15.",
      ),
    attemptsPerMinute: z
      .int()
      .min(1)
      .max(60)
      .default(10)
      .describe(
        'PINs the terminal checks in any minute, over all badges, so that nobody can try a few PINs on each name in turn; more get "too many attempts, wait a minute". 1 to 60. Default: 10.',
      ),
  })
  .describe("Taps by PIN for a forgotten badge, on the kiosk page's touch screen.");

const kioskSchema = z
  .strictObject({
    port: z
      .int()
      .min(1024)
      .max(65_535)
      .default(8088)
      .describe(
        "TCP port of the kiosk page, served over plain HTTP on 127.0.0.1 only, for the Chromium of timeclock-kiosk.service on this Pi's own screen: names and hours are never reachable from the network. 1024 to 65535, not console.port. Default: 8088.",
      ),
    buttons: z
      .boolean()
      .default(true)
      .describe(
        'Show "in", "out" and "break" buttons on a touch screen; a touch sets the meaning of the next tap like the function keys (feedback.keys, feedback.keyWindowSeconds). Default: true.',
      ),
    pin: pinSchema.prefault({}),
  })
  .describe("The kiosk page on an HDMI or DSI screen (systemd/timeclock-kiosk.service).");

export const displaySchema = z
  .strictObject({
    type: z
      .enum(DISPLAY_TYPES)
      .default("none")
      .describe(
        'The screen at the door: "none" (LEDs and buzzer only), "kiosk" (a page for an HDMI or DSI screen shown by Chromium, see display.kiosk), "lcd" (an HD44780 character LCD on an I2C backpack, see display.lcd and display.i2c) or "oled" (an SSD1306 128x64 OLED on I2C). Default: none.',
      ),
    holdSeconds: z
      .int()
      .min(2)
      .max(60)
      .default(6)
      .describe(
        "How long the result of a tap (name, in or out, hours) stays on the screen before it shows the time again; a new tap or key replaces it at once. 2 to 60. Default: 6.",
      ),
    i2c: i2cSchema.prefault({}),
    lcd: lcdSchema.prefault({}),
    oled: oledSchema.prefault({}),
    kiosk: kioskSchema.prefault({}),
  })
  .describe("What the employee sees at the door (docs/display.md).");

export type DisplayConfig = z.infer<typeof displaySchema>;

/** The I2C address the display answers on: the configured one or the usual default of its kind. */
export function displayAddress(config: DisplayConfig, kind: "lcd" | "oled"): number {
  return config.i2c.address === null ? DEFAULT_ADDRESS[kind] : parseI2cAddress(config.i2c.address);
}
