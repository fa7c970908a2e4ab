import type { Listing, Named } from "../directory.js";
import { type FieldErrors, type Option, selectField, textField } from "../forms.js";
import { html, type SafeHtml } from "../html.js";

/** GoodTime's users as suggestions for an email field; nothing when the list cannot be read. */
export function userOptions(id: string, users: Listing<string>): SafeHtml {
  if (!users.ok) return html``;
  return html`<datalist id="${id}">${users.items.map((email) => html`<option value="${email}"></option>`)}</datalist>`;
}

/**
 * Options of a time type or project choice: "none given" first, then GoodTime's list; a value
 * already set that GoodTime does not list stays choosable, so editing never drops it silently.
 */
export function namedOptions(
  listing: Listing<Named>,
  current: string | undefined,
  emptyLabel: string,
): Option[] {
  const items = listing.ok ? listing.items : [];
  const options: Option[] = [
    { value: "", label: emptyLabel },
    ...items.map((item) => ({ value: item.id, label: `${item.name} (${item.id})` })),
  ];
  if (current && !items.some((item) => item.id === current)) {
    options.push({ value: current, label: current });
  }
  return options;
}

/** A time type or project: chosen from GoodTime's list, or typed when it cannot be read. */
export function namedField(field: {
  name: string;
  label: string;
  listing: Listing<Named>;
  value: string | undefined;
  emptyLabel: string;
  errors: FieldErrors;
  unavailable: (why: string) => string;
}): SafeHtml {
  if (!field.listing.ok) {
    return textField({
      name: field.name,
      label: field.label,
      value: field.value,
      autocomplete: "off",
      hint: field.unavailable(field.listing.reason),
      errors: field.errors,
    });
  }
  return selectField({
    name: field.name,
    label: field.label,
    options: namedOptions(field.listing, field.value, field.emptyLabel),
    value: field.value,
    errors: field.errors,
  });
}
