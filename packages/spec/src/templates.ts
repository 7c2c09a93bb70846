/** Static facts about Mustache templates and path templates, used by the compiler. */

/** The variable names a Mustache template reads (`{{x}}`, `{{{x}}}`, `{{&x}}`, `{{#x}}`, `{{^x}}`). */
export function templateVariables(template: string): string[] {
  const names: string[] = [];
  for (const m of template.matchAll(/\{\{\{?\s*([#^&]?)\s*([^{}\s!/][^{}\s]*?)\s*\}?\}\}/g)) names.push(m[2]!);
  return names;
}

/** Placeholder names of a path template: `{name}` and `{{name}}`, in order, without duplicates. */
export function pathPlaceholders(path: string): string[] {
  const names: string[] = [];
  for (const m of path.matchAll(/\{\{?\s*([^{}\s]+?)\s*\}?\}/g)) if (!names.includes(m[1]!)) names.push(m[1]!);
  return names;
}
