// Renders an outcome's code into its message and remediation, filling {placeholders} from outcome.data.
import type { CheckMeta, CodeText } from '../core/check.js';
import { aadstsText } from '../m365/aadsts.js';

export type TemplateData = Record<string, string | number | undefined>;

/** Replaces {name} with data[name]; unknown names stay visible so a missing value is noticed. */
export function fillTemplate(template: string, data: TemplateData): string {
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, (whole, name: string) => {
    const value = data[name];
    return value === undefined ? whole : String(value);
  });
}

/** Text of a code: the check's own table first, then the shared AADSTS table; undefined when neither knows it. */
export function codeText(meta: Pick<CheckMeta, 'codes'>, code: string): CodeText | undefined {
  if (Object.prototype.hasOwnProperty.call(meta.codes, code)) return meta.codes[code];
  if (/^AADSTS\d+$/.test(code)) return aadstsText(code) ?? { message: `Entra ID answered ${code}.` };
  return undefined;
}

export function renderCode(text: CodeText, data: TemplateData): CodeText {
  return {
    message: fillTemplate(text.message, data),
    remediation: text.remediation === undefined ? undefined : fillTemplate(text.remediation, data),
  };
}
