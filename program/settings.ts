import * as pulumi from "@pulumi/pulumi";
import { AnyOptionSpec, CrrPairOptions, crrPairArgProblems, nearest, OPTION_KEYS, OPTION_SPECS } from "../components";

/** A stack configuration key of this program, as declared in `Pulumi.yaml`. */
export interface ConfigKey {
    readonly key: string;
    readonly type: "string" | "integer" | "boolean";
    readonly description: string;
    /** Absent for required keys. */
    readonly default?: string | number | boolean;
    /** The argument of CrrPair the key feeds, as validation errors name it. */
    readonly arg: string;
}

const configType = (spec: AnyOptionSpec): ConfigKey["type"] =>
    spec.kind === "boolean" ? "boolean" : spec.kind === "integer" || typeof spec.default === "number" ? "integer" : "string";

/**
 * Every key the program reads: the naming prefix, the two regions, and one key per CrrPair option, named as
 * the option and derived from its entry in OPTION_SPECS. `Pulumi.yaml` declares exactly these (a test holds
 * the two together).
 */
export const CONFIG_KEYS: readonly ConfigKey[] = [
    {
        key: "namingPrefix",
        type: "string",
        arg: "namingPrefix",
        description:
            "Prefix of every bucket name: 5-40 lowercase letters, digits and inner '-' (no dots). " +
            "Buckets are <prefix>-crrlab-<region> and logging-<prefix>-<region>, so it must be globally unique.",
    },
    {
        key: "primaryRegion",
        type: "string",
        arg: "primary.region",
        default: "us-east-2",
        description: "Region of the primary side (the lab's 'east').",
    },
    {
        key: "secondaryRegion",
        type: "string",
        arg: "secondary.region",
        default: "us-west-2",
        description: "Region of the secondary (recovery) side (the lab's 'west'); must differ from primaryRegion.",
    },
    ...OPTION_KEYS.map((option): ConfigKey => {
        const spec: AnyOptionSpec = OPTION_SPECS[option];
        return { key: option, type: configType(spec), arg: option, default: spec.default, description: spec.description };
    }),
];

/** The program's settings: the two regions, the naming prefix and every CrrPair option. */
export type ProgramSettings = {
    readonly namingPrefix: string;
    readonly primaryRegion: string;
    readonly secondaryRegion: string;
} & CrrPairOptions;

/** The CrrPair options among `settings`, to spread into the component's arguments. */
export function pairOptions(settings: ProgramSettings): CrrPairOptions {
    return Object.fromEntries(OPTION_KEYS.map((k) => [k, settings[k]])) as CrrPairOptions;
}

/**
 * Rewrites argument paths in a component message (`primary.region`) into the configuration keys the user
 * sets (`primaryRegion`), so a message names what can be changed.
 */
function inConfigTerms(message: string): string {
    let out = message;
    for (const k of CONFIG_KEYS) {
        if (k.arg !== k.key) {
            out = out.split(k.arg).join(k.key);
        }
    }
    return out;
}

/**
 * Reads and validates the stack configuration through `get` (a raw string per key, undefined when unset).
 * Throws a `pulumi.RunError` (shown without a stack trace) that names every bad `<project>:<key>` and what
 * is allowed, before the program registers anything. An option that applies only with another option's
 * value (the KMS key's deletion window without a key) is dropped when that value is not set, so a stack may
 * keep declared defaults for options it does not use.
 */
export function readSettings(get: (key: string) => string | undefined, project: string): ProgramSettings {
    const problems: string[] = [];
    const fullKey = (key: string) => `${project}:${key}`;
    const values: Record<string, string | number | boolean | undefined> = {};

    for (const spec of CONFIG_KEYS) {
        const raw = get(spec.key);
        if (raw === undefined || raw === "") {
            if (spec.default === undefined) {
                problems.push(
                    `${fullKey(spec.key)} is required: set it with 'pulumi config set ${spec.key} <value>'. ${spec.description}`,
                );
            }
            values[spec.key] = spec.default;
            continue;
        }
        if (spec.type === "integer") {
            if (!/^-?\d+$/.test(raw.trim())) {
                problems.push(`${fullKey(spec.key)} must be a whole number, got '${raw}'. ${spec.description}`);
            }
            values[spec.key] = Number(raw);
        } else if (spec.type === "boolean") {
            if (raw !== "true" && raw !== "false") {
                problems.push(`${fullKey(spec.key)} must be true or false, got '${raw}'. ${spec.description}`);
            }
            values[spec.key] = raw === "true";
        } else {
            values[spec.key] = raw;
        }
    }
    for (const option of OPTION_KEYS) {
        const requires = OPTION_SPECS[option].requires;
        if (requires !== undefined && values[requires.option] !== requires.value) {
            values[option] = undefined;
        }
    }

    const settings = values as unknown as ProgramSettings;
    if (problems.length === 0) {
        const draft = {
            ...pairOptions(settings),
            namingPrefix: settings.namingPrefix,
            primary: { region: settings.primaryRegion, provider: undefined! },
            secondary: { region: settings.secondaryRegion, provider: undefined! },
        };
        const byArg = new Map(CONFIG_KEYS.map((k) => [k.arg, k.key]));
        for (const p of crrPairArgProblems(draft, { checkProviders: false })) {
            const key = byArg.get(p.path);
            problems.push(`${key ? fullKey(key) : p.path} ${inConfigTerms(p.message)}`);
        }
    }
    if (problems.length > 0) {
        throw new pulumi.RunError(`Invalid stack configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    }
    return settings;
}

/**
 * One warning per key of this project's namespace that the program does not read (a misspelling such as
 * `primaryRgion` would otherwise be ignored without a word), naming the nearest declared key.
 * `allConfig` is the stack's whole configuration, keys in `<namespace>:<key>` form.
 */
export function unknownConfigKeys(allConfig: Record<string, unknown>, project: string): string[] {
    const declared = CONFIG_KEYS.map((k) => k.key);
    return Object.keys(allConfig)
        .filter((full) => full.startsWith(`${project}:`))
        .map((full) => full.slice(project.length + 1))
        .filter((key) => !declared.includes(key))
        .sort()
        .map(
            (key) =>
                `${project}:${key} is not a configuration key of this program and is ignored; did you mean ` +
                `${project}:${nearest(key, declared, 1)[0]}? (keys: ${declared.join(", ")})`,
        );
}
