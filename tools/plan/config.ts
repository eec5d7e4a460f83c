/**
 * Stack configuration as the Pulumi CLI would hand it to the program: `Pulumi.<stack>.yaml` over the
 * project's declared defaults in `Pulumi.yaml`, then `--config key=value` overrides. Values are strings,
 * as the engine passes them; secrets (`secure:`) cannot be decrypted offline and are reported by name.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { editDistance, nearest } from "../../components/model/suggest";

/** A configuration problem, reported with exit code 2 and no stack trace. */
export class PlanConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PlanConfigError";
    }
}

export interface StackConfig {
    readonly project: string;
    readonly stack: string;
    /** `<namespace>:<key>` → string value. */
    readonly values: Record<string, string>;
    /** Keys whose stack value is a secret this offline run cannot decrypt. */
    readonly secretKeys: readonly string[];
    /** Region of resources without one of their own (`aws:region`), if set. */
    readonly defaultRegion?: string;
    readonly projectFile?: string;
}

/** Pulumi.yaml of the program: the first one from the program's directory upwards. */
export function findProjectFile(programFile: string): string | undefined {
    for (let dir = path.dirname(path.resolve(programFile)); ; dir = path.dirname(dir)) {
        const candidate = path.join(dir, "Pulumi.yaml");
        if (fs.existsSync(candidate)) {
            return candidate;
        }
        if (path.dirname(dir) === dir) {
            return undefined;
        }
    }
}

const asConfigString = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));

function readYaml(file: string): Record<string, any> {
    try {
        return (yaml.load(fs.readFileSync(file, "utf8")) as Record<string, any>) ?? {};
    } catch (e) {
        throw new PlanConfigError(`${file} is not valid YAML: ${(e as Error).message}`);
    }
}

/** `file` as the user would type it: relative to the current directory when inside it, else absolute. */
function shown(file: string): string {
    const relative = path.relative(process.cwd(), file);
    return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

/** The stacks that have a configuration file in `projectDir` (`Pulumi.<stack>.yaml`), sorted. */
export function stacksIn(projectDir: string): string[] {
    return fs
        .readdirSync(projectDir)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/**
 * Stack files one folder below the project that belong to it (a folder without a `Pulumi.yaml` of its own, as
 * `examples/`), each as `--stack` takes it: `<folder>/<stack>`, the folder as the user would type it. Sorted.
 */
export function exampleStacksIn(projectDir: string): string[] {
    return fs
        .readdirSync(projectDir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && !d.name.startsWith(".") && d.name !== "node_modules")
        .map((d) => path.join(projectDir, d.name))
        .filter((dir) => !fs.existsSync(path.join(dir, "Pulumi.yaml")))
        .flatMap((dir) => {
            try {
                return stacksIn(dir).map((s) => `${shown(dir).split(path.sep).join("/")}/${s}`);
            } catch {
                return []; // a folder this user cannot read holds no stack of theirs
            }
        })
        .sort();
}

/** The stack name of a `--stack` value: `warm-standby` of `examples/warm-standby`. */
const baseName = (stack: string) => stack.slice(Math.max(stack.lastIndexOf("/"), stack.lastIndexOf("\\")) + 1);

/**
 * The stack the user probably meant, for a "did you mean": one with the same name in another case or
 * folder (`Prod` for `prod`, `warm-standby` for `examples/warm-standby`), else one at most a third of its
 * letters away (one typo in a short name).
 */
export function likelyStack(stack: string, candidates: readonly string[]): string | undefined {
    const base = (s: string) => baseName(s).toLowerCase();
    const others = candidates.filter((c) => c !== stack);
    const same = others.find((c) => c.toLowerCase() === stack.toLowerCase()) ?? others.find((c) => base(c) === base(stack));
    if (same !== undefined) {
        return same;
    }
    const [near] = nearest(stack.toLowerCase(), others.map((c) => c.toLowerCase()), 1);
    return near !== undefined && editDistance(stack.toLowerCase(), near) <= Math.max(1, Math.floor(stack.length / 3))
        ? others[others.findIndex((c) => c.toLowerCase() === near)]
        : undefined;
}

/** Why `stack` (whose file would be `file`) cannot be planned: what it may have meant, which stacks can, how to make it. */
function missingStackMessage(stack: string, file: string, projectDir: string, given: boolean): string {
    const fileOf = (s: string) => shown(path.join(projectDir, `Pulumi.${s}.yaml`));
    const existing = stacksIn(projectDir);
    const examples = exampleStacksIn(projectDir);
    const meant = likelyStack(stack, [...existing, ...examples]);
    // The file to start from: the example of the same name when that is what was meant, else dev's, else the first.
    const sameExample = meant !== undefined && examples.includes(meant) && baseName(meant) === baseName(stack);
    const template = sameExample
        ? shown(path.resolve(path.dirname(meant), `Pulumi.${baseName(meant)}.yaml`)) // examples are shown from the current folder
        : existing.length > 0
          ? fileOf(existing.includes("dev") ? "dev" : existing[0])
          : undefined;
    const cli = `\`pulumi stack init ${stack}\`, then \`pulumi config set KEY VALUE --stack ${stack}\` for each key (the Pulumi CLI writes the file)`;
    const asPath = /[/\\]/.test(stack); // `pulumi stack init` would take a folder for an organization
    return [
        given ? `stack file ${stack} does not exist` : `stack '${stack}' has no configuration file ${shown(file)}`,
        ...(meant !== undefined ? [`did you mean '${meant}'?`] : []),
        existing.length > 0
            ? `stacks that have one: ${existing.join(", ")}`
            : `no stack has a configuration file next to ${shown(path.join(projectDir, "Pulumi.yaml"))} yet`,
        ...(examples.length > 0 ? [`example stacks (--stack FOLDER/NAME plans FOLDER/Pulumi.NAME.yaml): ${examples.join(", ")}`] : []),
        asPath
            ? template !== undefined
                ? `to make it: copy ${template} to ${shown(file)} and edit its values`
                : `to make it: write ${shown(file)} with a config: map of KEY: VALUE`
            : template !== undefined
              ? `to make it: copy ${template} to ${shown(file)} and edit its values, or run ${cli}`
              : `to make it: run ${cli}, or write ${shown(file)} with a config: map of KEY: VALUE`,
    ].join("\n");
}

/**
 * A stack given as a path: the path of its file (`examples/Pulumi.warm-standby.yaml`), or a folder and a stack
 * name (`examples/warm-standby`, whose file is `examples/Pulumi.warm-standby.yaml`): its name (`warm-standby`),
 * the file, and whether the file itself was named; undefined for a plain stack name.
 */
export function stackFileArgument(stack: string): { readonly name: string; readonly file: string; readonly named: boolean } | undefined {
    const m = /(?:^|[/\\])Pulumi\.([^/\\]+)\.yaml$/.exec(stack);
    if (m) {
        return { name: m[1], file: path.resolve(stack), named: true };
    }
    const slash = Math.max(stack.lastIndexOf("/"), stack.lastIndexOf("\\"));
    const name = stack.slice(slash + 1);
    return slash >= 0 && name !== "" ? { name, file: path.resolve(stack.slice(0, slash) || "/", `Pulumi.${name}.yaml`), named: false } : undefined;
}

/**
 * Reads the configuration of `stack` for `programFile`. `stack` is a stack name (its file is
 * `Pulumi.<stack>.yaml` next to the project file), the path of a stack file anywhere (the examples), or a
 * folder and a stack name (`examples/warm-standby`). `overrides` are `key=value` strings; a key
 * without a namespace belongs to the project.
 */
export function loadStackConfig(programFile: string, stack: string, overrides: readonly string[] = []): StackConfig {
    const projectFile = findProjectFile(programFile);
    const project = projectFile ? readYaml(projectFile) : { name: "project" };
    const name = String(project.name ?? "project");
    const qualify = (key: string) => (key.includes(":") ? key : `${name}:${key}`);
    const values: Record<string, string> = {};
    const secretKeys: string[] = [];

    for (const [key, decl] of Object.entries((project.config ?? {}) as Record<string, any>)) {
        if (decl && typeof decl === "object" && "default" in decl) {
            values[qualify(key)] = asConfigString(decl.default);
        } else if (decl && typeof decl === "object" && "value" in decl) {
            values[qualify(key)] = asConfigString(decl.value);
        } else if (decl !== null && typeof decl !== "object") {
            values[qualify(key)] = asConfigString(decl);
        }
    }

    const given = stackFileArgument(stack);
    if (given && !fs.existsSync(given.file)) {
        throw new PlanConfigError(missingStackMessage(stack, given.file, projectFile ? path.dirname(projectFile) : process.cwd(), given.named));
    }
    const stackName = given?.name ?? stack;
    const stackFile = given?.file ?? (projectFile ? path.join(path.dirname(projectFile), `Pulumi.${stack}.yaml`) : undefined);
    if (stackFile && fs.existsSync(stackFile)) {
        for (const [key, value] of Object.entries((readYaml(stackFile).config ?? {}) as Record<string, unknown>)) {
            const full = qualify(key);
            if (value && typeof value === "object" && "secure" in (value as object)) {
                secretKeys.push(full);
                delete values[full];
            } else {
                values[full] = asConfigString(value);
            }
        }
    } else if (stackFile) {
        throw new PlanConfigError(missingStackMessage(stack, stackFile, path.dirname(projectFile!), false));
    }

    for (const override of overrides) {
        const eq = override.indexOf("=");
        if (eq <= 0) {
            throw new PlanConfigError(`--config takes key=value, got '${override}'`);
        }
        const full = qualify(override.slice(0, eq));
        values[full] = override.slice(eq + 1);
        const i = secretKeys.indexOf(full);
        if (i >= 0) {
            secretKeys.splice(i, 1);
        }
    }
    return { project: name, stack: stackName, values, secretKeys, defaultRegion: values["aws:region"], projectFile };
}
