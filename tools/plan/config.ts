/**
 * Stack configuration as the Pulumi CLI would hand it to the program: `Pulumi.<stack>.yaml` over the
 * project's declared defaults in `Pulumi.yaml`, then `--config key=value` overrides. Values are strings,
 * as the engine passes them; secrets (`secure:`) cannot be decrypted offline and are reported by name.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";

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

/** Why `stack` cannot be planned: which stacks can, and how to make this one. */
function missingStackMessage(stack: string, projectDir: string): string {
    const fileOf = (s: string) => shown(path.join(projectDir, `Pulumi.${s}.yaml`));
    const existing = stacksIn(projectDir);
    const template = existing.includes("dev") ? "dev" : existing[0];
    const cli = `\`pulumi stack init ${stack}\`, then \`pulumi config set KEY VALUE --stack ${stack}\` for each key (the Pulumi CLI writes the file)`;
    return [
        `stack '${stack}' has no configuration file ${fileOf(stack)}`,
        existing.length > 0
            ? `stacks that have one: ${existing.join(", ")}`
            : `no stack has a configuration file next to ${shown(path.join(projectDir, "Pulumi.yaml"))} yet`,
        template !== undefined
            ? `to make it: copy ${fileOf(template)} to ${fileOf(stack)} and edit its values, or run ${cli}`
            : `to make it: run ${cli}, or write ${fileOf(stack)} with a config: map of KEY: VALUE`,
    ].join("\n");
}

/**
 * A stack given as the path of its file (`examples/Pulumi.warm-standby.yaml`): its name (`warm-standby`) and
 * the file; undefined for a plain stack name.
 */
export function stackFileArgument(stack: string): { readonly name: string; readonly file: string } | undefined {
    const m = /(?:^|[/\\])Pulumi\.([^/\\]+)\.yaml$/.exec(stack);
    return m ? { name: m[1], file: path.resolve(stack) } : undefined;
}

/**
 * Reads the configuration of `stack` for `programFile`. `stack` is a stack name (its file is
 * `Pulumi.<stack>.yaml` next to the project file) or the path of a stack file anywhere (the examples). `overrides` are `key=value` strings; a key
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
        throw new PlanConfigError(`stack file ${stack} does not exist`);
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
        throw new PlanConfigError(missingStackMessage(stack, path.dirname(projectFile!)));
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
