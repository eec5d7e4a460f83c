/**
 * The files `npm run docs` writes, each from the option table (components/model/options.ts) or the program:
 * the generated parts of README.md (the configuration table), docs/design.md (the dev stack's resource
 * graph) and the package's README (the options table), between `<!-- NAME:start -->` and
 * `<!-- NAME:end -->` markers, and Pulumi.yaml's config declarations. A test fails when a committed file
 * differs from what this produces.
 */
import * as yaml from "js-yaml";
import { AnyFieldSpec, AnyOptionSpec, OPTION_KEYS, OPTION_SPECS } from "../components";
import { CONFIG_KEYS, ConfigKey } from "./settings";

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/</g, "&lt;");
const table = (header: readonly string[], rows: readonly (readonly string[])[]) =>
    [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");

/** The stack configuration keys, as a Markdown table. */
export function configTable(project: string): string {
    return table(
        ["key", "type", "default", "what it sets"],
        CONFIG_KEYS.map((k) => [
            `\`${project}:${k.key}\``,
            k.type,
            k.default === undefined ? "**required**" : `\`${Array.isArray(k.default) ? JSON.stringify(k.default) : String(k.default)}\``,
            cell(k.description),
        ]),
    );
}

/** An option's or a setting's TypeScript type, as the package README shows it. */
function optionType(spec: AnyOptionSpec | AnyFieldSpec): string {
    switch (spec.kind) {
        case "boolean":
            return "boolean";
        case "integer":
            return `number, ${spec.min.toLocaleString("en-US")} to ${spec.max.toLocaleString("en-US")}`;
        case "oneOf":
            return typeof spec.values[0];
        case "list":
            return "string[]";
        case "object":
            return "boolean or object";
        case "pattern":
            return "string";
    }
}

/**
 * CrrPair's options (CrrMesh's too), as a Markdown table of the package README: one row per option, then
 * for an option that takes an object one row per setting (`backup.vaultLock`).
 */
export function optionsTable(): string {
    const row = (name: string, spec: AnyOptionSpec | AnyFieldSpec, meaning: string) => [`\`${name}\``, optionType(spec), `\`${JSON.stringify(spec.default)}\``, cell(meaning)];
    const rows = OPTION_KEYS.flatMap((option) => {
        const spec: AnyOptionSpec = OPTION_SPECS[option];
        const own = row(option, spec, spec.perSide ? `${spec.description} A side may set its own.` : spec.description);
        if (spec.kind !== "object") {
            return [own];
        }
        const on = `\`true\` takes the settings' defaults, an object sets them, \`false\` turns it off.`;
        return [
            [...own.slice(0, 3), `${own[3]} ${on}`],
            ...Object.entries(spec.fields).map(([field, f]) => row(`${option}.${field}`, f, f.description)),
        ];
    });
    return table(["option", "type", "default", "meaning"], rows);
}

/** Replaces the text between the NAME markers of `text` (the file `file`, for the error) with `content`. */
export function replaceSection(text: string, name: string, content: string, file: string): string {
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const from = text.indexOf(start);
    const to = text.indexOf(end);
    if (from < 0 || to < from) {
        throw new Error(`${file} has no '${start}' ... '${end}' section`);
    }
    return `${text.slice(0, from + start.length)}\n${content}\n${text.slice(to)}`;
}

/** README.md with its generated section, the configuration table, brought up to date. */
export function renderReadme(readme: string, project: string): string {
    return replaceSection(readme, "config-table", configTable(project), "README.md");
}

/** docs/design.md with its generated section, the dev stack's Mermaid graph `devGraph`, brought up to date. */
export function renderDesign(design: string, devGraph: string): string {
    return replaceSection(design, "dev-graph", ["```mermaid", devGraph, "```"].join("\n"), "docs/design.md");
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

/** A file `npm run docs` writes: its path from the repository root, what of it is generated, and how. */
export interface GeneratedFile {
    readonly file: string;
    readonly part: string;
    readonly render: (text: string) => string;
}

/**
 * Every file `npm run docs` writes; `devGraph` is the dev stack's Mermaid graph (docs/design.md shows it),
 * `strategies` the table of the DR strategy examples side by side (program/strategies.ts).
 */
export function generatedFiles(project: string, devGraph: string, strategies: string): GeneratedFile[] {
    const packageReadme = "packages/crr-pair/README.md";
    return [
        { file: "README.md", part: "configuration table", render: (text) => renderReadme(text, project) },
        { file: "README.md", part: "DR strategies' table", render: (text) => replaceSection(text, "strategies-table", strategies, "README.md") },
        { file: "docs/design.md", part: "dev stack's graph", render: (text) => renderDesign(text, devGraph) },
        { file: "Pulumi.yaml", part: "config declarations", render: renderProjectFile },
        { file: packageReadme, part: "options table", render: (text) => replaceSection(text, "options-table", optionsTable(), packageReadme) },
    ];
}
