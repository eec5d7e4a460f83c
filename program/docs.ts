/**
 * Generated parts of README.md, between `<!-- NAME:start -->` and `<!-- NAME:end -->` markers.
 * `npm run docs` rewrites them; a test fails when the committed README differs from what this produces.
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

/** Replaces the text between the NAME markers of `readme` with `content`. */
export function replaceSection(readme: string, name: string, content: string): string {
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const from = readme.indexOf(start);
    const to = readme.indexOf(end);
    if (from < 0 || to < from) {
        throw new Error(`README.md has no '${start}' ... '${end}' section`);
    }
    return `${readme.slice(0, from + start.length)}\n${content}\n${readme.slice(to)}`;
}

/** README.md with every generated section brought up to date; `devGraph` is the dev stack's Mermaid graph. */
export function renderReadme(readme: string, project: string, devGraph: string): string {
    const withTable = replaceSection(readme, "config-table", configTable(project));
    return replaceSection(withTable, "dev-graph", ["```mermaid", devGraph, "```"].join("\n"));
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
