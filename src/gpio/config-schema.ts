import * as z from "zod";

/** The `feedback` section of the config (LEDs, buzzer, function keys); part of src/config/schema.ts. */

export const MAX_BCM = 27;

const bcm = z.int().min(0).max(MAX_BCM);

function outputSchema(defaultBcm: number, what: string) {
  return z
    .strictObject({
      bcm: bcm
        .default(defaultBcm)
        .describe(
          `BCM GPIO number of the ${what} (not the header pin number), 0 to ${MAX_BCM}. Default: ${defaultBcm}.`,
        ),
      activeLow: z
        .boolean()
        .default(false)
        .describe(
          "true when the output is on at 0 V (wired from 3.3 V through the load to the pin). Default: false.",
        ),
    })
    .describe(`The ${what}.`);
}

export const KEY_NAMES = ["in", "out", "break"] as const;
export type KeyName = (typeof KEY_NAMES)[number];

const keySchema = z
  .strictObject({
    name: z
      .enum(KEY_NAMES)
      .describe('What the next tap means after this key: "in", "out" or "break". Required.'),
    bcm: bcm.describe(`BCM GPIO number of the key, 0 to ${MAX_BCM}. Required.`),
    activeLow: z
      .boolean()
      .default(true)
      .describe(
        "true for a key that connects the pin to GND (with a pull-up); false for a key to 3.3 V. Default: true.",
      ),
    timeTypeId: z
      .string()
      .min(1)
      .optional()
      .describe(
        "GoodTime time type id booked for the shift this key starts, instead of entry.timeTypeId. Optional.",
      ),
  })
  .describe("A function key.");

export const feedbackSchema = z
  .strictObject({
    backend: z
      .enum(["auto", "sysfs", "gpiod", "none"])
      .default("none")
      .describe(
        '"sysfs" (/sys/class/gpio via onoff), "gpiod" (libgpiod tools gpioset/gpiomon), "auto" (sysfs if usable, else gpiod) or "none" (log only, for a laptop or the demo). Default: none.',
      ),
    green: outputSchema(17, "green LED (tap accepted)")
      .nullable()
      .prefault({})
      .describe("The green LED (tap accepted), or null when not fitted. Default: BCM 17."),
    red: outputSchema(27, "red LED (tap refused, reader fault)")
      .nullable()
      .prefault({})
      .describe(
        "The red LED (tap refused, reader fault), or null when not fitted. Default: BCM 27.",
      ),
    buzzer: outputSchema(22, "buzzer")
      .nullable()
      .prefault({})
      .describe("The buzzer, or null when not fitted. Default: BCM 22."),
    amber: outputSchema(23, "amber LED (bookings pending)")
      .nullable()
      .default(null)
      .describe(
        'The amber LED (off: all booked, on: waiting to book, blinking: stuck), or null when not fitted; { "bcm": 23 } is the documented wiring. Default: null.',
      ),
    keys: z
      .array(keySchema)
      .max(KEY_NAMES.length)
      .default([])
      .describe(
        'Function keys that fix the meaning of the next tap, e.g. [{ "name": "in", "bcm": 5 }, { "name": "out", "bcm": 6 }, { "name": "break", "bcm": 13 }]. Default: none.',
      ),
    keyWindowSeconds: z
      .int()
      .min(1)
      .max(60)
      .default(5)
      .describe(
        "A key press applies to a tap within this many seconds after it. 1 to 60. Default: 5.",
      ),
    debounceMs: z
      .int()
      .min(1)
      .max(1000)
      .default(50)
      .describe(
        "A key must hold its new level this many milliseconds before the press counts. 1 to 1000. Default: 50.",
      ),
  })
  .superRefine((feedback, ctx) => {
    const users = new Map<number, string>();
    const claim = (pin: number, key: string, path: PropertyKey[]) => {
      const other = users.get(pin);
      if (other === undefined) users.set(pin, key);
      else
        ctx.addIssue({
          code: "custom",
          path,
          message: `BCM ${pin} is also used by feedback.${other}; every output and key needs its own pin`,
        });
    };
    for (const output of ["green", "red", "buzzer", "amber"] as const) {
      const pin = feedback[output]?.bcm;
      if (pin !== undefined) claim(pin, `${output}.bcm`, [output, "bcm"]);
    }
    const names = new Set<string>();
    feedback.keys.forEach((key, index) => {
      claim(key.bcm, `keys[${index}].bcm`, ["keys", index, "bcm"]);
      if (names.has(key.name)) {
        ctx.addIssue({
          code: "custom",
          path: ["keys", index, "name"],
          message: `the key "${key.name}" is configured twice; each of ${KEY_NAMES.join(", ")} at most once`,
        });
      }
      names.add(key.name);
    });
  })
  .describe("LEDs, buzzer and function keys on the Raspberry Pi's GPIO header.");

export type FeedbackConfig = z.infer<typeof feedbackSchema>;
export type OutputConfig = NonNullable<FeedbackConfig["green"]>;
export type KeyConfig = FeedbackConfig["keys"][number];

/** Every configured output and key with its pin, in a fixed order, for listings and checks. */
export function pinsOf(config: FeedbackConfig): { part: string; bcm: number }[] {
  const outputs = (["green", "red", "buzzer", "amber"] as const).flatMap((part) => {
    const output = config[part];
    return output ? [{ part, bcm: output.bcm }] : [];
  });
  return [...outputs, ...config.keys.map((key) => ({ part: `key ${key.name}`, bcm: key.bcm }))];
}
