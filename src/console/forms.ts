import { html, type SafeHtml } from "./html.js";

/**
 * Labelled form controls: every control has a <label>, a hint and an error are tied to it with
 * aria-describedby, and a field with an error says so with aria-invalid and shows the error next
 * to it.
 */

export type FieldErrors = Partial<Record<string, string | SafeHtml>>;

interface FieldBase {
  /** Form name; also the id unless `id` is given. */
  name: string;
  label: string;
  id?: string;
  hint?: string;
  errors?: FieldErrors;
  required?: boolean;
}

function describedBy(id: string, hint: string | undefined, error: unknown): SafeHtml {
  const ids = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return ids ? html` aria-describedby="${ids}"` : html``;
}

function notes(
  id: string,
  hint: string | undefined,
  error: string | SafeHtml | undefined,
): SafeHtml {
  return html`${hint ? html`<span class="hint" id="${id}-hint">${hint}</span>` : ""}${
    error ? html`<span class="error" id="${id}-error">${error}</span>` : ""
  }`;
}

export function textField(
  field: FieldBase & {
    value?: string | null;
    type?: "text" | "email" | "password" | "date" | "datetime-local" | "search";
    autocomplete?: string;
    list?: string;
    inputmode?: "text" | "email" | "numeric";
  },
): SafeHtml {
  const id = field.id ?? field.name;
  const error = field.errors?.[field.name];
  return html`<div class="field${error ? " has-error" : ""}">
<label for="${id}">${field.label}</label>
<input id="${id}" name="${field.name}" type="${field.type ?? "text"}" value="${field.value ?? ""}"${
    field.required ? html` required` : ""
  }${field.autocomplete ? html` autocomplete="${field.autocomplete}"` : ""}${
    field.list ? html` list="${field.list}"` : ""
  }${field.inputmode ? html` inputmode="${field.inputmode}"` : ""}${
    error ? html` aria-invalid="true"` : ""
  }${describedBy(id, field.hint, error)}>
${notes(id, field.hint, error)}
</div>`;
}

export interface Option {
  value: string;
  label: string;
}

export function selectField(
  field: FieldBase & { options: readonly Option[]; value?: string | null },
): SafeHtml {
  const id = field.id ?? field.name;
  const error = field.errors?.[field.name];
  return html`<div class="field${error ? " has-error" : ""}">
<label for="${id}">${field.label}</label>
<select id="${id}" name="${field.name}"${field.required ? html` required` : ""}${
    error ? html` aria-invalid="true"` : ""
  }${describedBy(id, field.hint, error)}>${field.options.map(
    (option) =>
      html`<option value="${option.value}"${option.value === (field.value ?? "") ? html` selected` : ""}>${option.label}</option>`,
  )}</select>
${notes(id, field.hint, error)}
</div>`;
}

export function checkboxField(field: FieldBase & { checked?: boolean }): SafeHtml {
  const id = field.id ?? field.name;
  return html`<div class="field check">
<input id="${id}" name="${field.name}" type="checkbox" value="yes"${field.checked ? html` checked` : ""}>
<label for="${id}">${field.label}</label>
</div>`;
}

/** A form-wide error (one not tied to a field), shown at the top of its form. */
export function formError(
  message: string | SafeHtml | undefined,
  problems: readonly string[] = [],
): SafeHtml {
  if (!message) return html``;
  return html`<div class="form-error" role="alert"><p>${message}</p>${
    problems.length > 0
      ? html`<ul>${problems.map((problem) => html`<li>${problem}</li>`)}</ul>`
      : ""
  }</div>`;
}
