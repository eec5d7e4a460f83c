/**
 * Generated parts of README.md (the configuration table) and docs/design.md (the dev stack's resource graph),
 * between `<!-- NAME:start -->` and `<!-- NAME:end -->` markers. `npm run docs` rewrites them; a test fails
 * when a committed file differs from what this produces.
 */
import * as yaml from "js-yaml";
import { CONFIG_KEYS, ConfigKey } from "./settings";

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/</g, "&lt;");

/** The stack configuration keys, as a Markdown table. */
export function configTable(project: string): string {
    const rows = CONFIG_KEYS.map(
        (k) =>
            `| \`${project}:${k.key}\` | ${k.type} | ${k.default === undefined ? "**required**" : `\`${Array.isArray(k.default) ? JSON.stringify(k.default) : String(k.default)}\``} | ${cell(k.description)} |`,
    );
    return ["| key | type | default | what it sets |", "|---|---|---|---|", ...rows].join("\n");
}

/** The files with generated sections, from the repository's root. */
export const GENERATED_FILES = { readme: "README.md", design: "docs/design.md" } as const;

/** Replaces the text between the NAME markers of `doc` (the file `file`, for the error) with `content`. */
export function replaceSection(doc: string, name: string, content: string, file = "README.md"): string {
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const from = doc.indexOf(start);
    const to = doc.indexOf(end);
    if (from < 0 || to < from) {
        throw new Error(`${file} has no '${start}' ... '${end}' section`);
    }
    return `${doc.slice(0, from + start.length)}\n${content}\n${doc.slice(to)}`;
}

/** README.md with its generated section, the configuration table, brought up to date. */
export function renderReadme(readme: string, project: string): string {
    return replaceSection(readme, "config-table", configTable(project), GENERATED_FILES.readme);
}

/** docs/design.md with its generated section, the dev stack's Mermaid graph `devGraph`, brought up to date. */
export function renderDesign(design: string, devGraph: string): string {
    return replaceSection(design, "dev-graph", ["```mermaid", devGraph, "```"].join("\n"), GENERATED_FILES.design);
}

/** How `Pulumi.yaml` declares one key: its type (a list of strings for `array`), description and default. */
export function projectDeclaration(k: ConfigKey): Record<string, unknown> {
    return {
        type: k.type,
        ...(k.type === "array" ? { items: { type: "string" } } : {}),
        description: k.description,
        ...(k.default === undefined ? {} : { default: k.default }),
    };
}

/**
 * `Pulumi.yaml` with its `config:` declarations generated from CONFIG_KEYS (everything else kept): the
 * project file and the program cannot drift apart.
 */
export function renderProjectFile(projectYaml: string): string {
    const project = yaml.load(projectYaml) as Record<string, unknown>;
    project.config = Object.fromEntries(CONFIG_KEYS.map((k) => [k.key, projectDeclaration(k)]));
    return yaml.dump(project, { lineWidth: 110, noRefs: true });
}
