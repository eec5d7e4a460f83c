import * as pulumi from "@pulumi/pulumi";
import {
    AnyFieldSpec,
    AnyOptionSpec,
    ArgProblem,
    crrMeshArgProblems,
    CrrPairOptions,
    crrPairArgProblems,
    nearest,
    OPTION_KEYS,
    OPTION_SPECS,
    SideRemoval,
} from "../components";
import { editDistance } from "../components/model/suggest";
import { existingBucketProblem, lifecycleRuleProblems, policyStatementProblems } from "../components/model/adoption";
import type { CrrSideArgs, ExtraNotifications } from "../components/model/types";

/** A stack configuration key of this program, as declared in `Pulumi.yaml`. */
export interface ConfigKey {
    readonly key: string;
    /** `array` keys hold a list of strings (YAML list in a stack file, or comma-separated on a command line). */
    readonly type: "string" | "integer" | "boolean" | "array";
    readonly description: string;
    /** Absent for required keys. */
    readonly default?: string | number | boolean | readonly string[];
    /** The argument of CrrPair the key feeds, as validation errors name it. */
    readonly arg: string;
}

const configType = (spec: AnyOptionSpec | AnyFieldSpec): ConfigKey["type"] =>
    spec.kind === "list"
        ? "array"
        : spec.kind === "boolean" || spec.kind === "object"
          ? "boolean"
          : spec.kind === "integer" || typeof spec.default === "number"
            ? "integer"
            : "string";

/**
 * The flat key of one setting of an object option: the option's name and the field's, camel-cased
 * (`backup` + `continuousRetentionDays` = `backupContinuousRetentionDays`).
 */
export const fieldKey = (option: string, field: string): string => `${option}${field[0].toUpperCase()}${field.slice(1)}`;

/** The configuration keys of one option: its own, then (an object option) one per setting. */
function optionKeys(option: keyof CrrPairOptions): ConfigKey[] {
    const spec: AnyOptionSpec = OPTION_SPECS[option];
    const own: ConfigKey = { key: option, type: configType(spec), arg: option, default: spec.default, description: spec.description };
    if (spec.kind !== "object") {
        return [own];
    }
    return [
        own,
        ...Object.entries(spec.fields).map(
            ([field, f]): ConfigKey => ({
                key: fieldKey(option, field),
                type: configType(f),
                arg: `${option}.${field}`,
                default: f.default,
                description: `${f.description} Used only when ${option} is true.`,
            }),
        ),
    ];
}

/**
 * Every key the program reads: the naming prefix, the two regions, and one key per CrrPair option, named as
 * the option and derived from its entry in OPTION_SPECS. An option that takes `true` or an object of
 * settings is flat in the stack configuration: a boolean key named as the option turns it on, and one key
 * per setting (`<option><Setting>`) sets it; a stack file stays a list of scalars, each with a declared
 * type and default. `Pulumi.yaml` declares exactly these (a test holds
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
    {
        key: "regions",
        type: "array",
        arg: "sides",
        default: [],
        description:
            "Two or more regions replicating to each other (a CrrMesh, outputs under 'sides'); when set, primaryRegion and " +
            "secondaryRegion are not used. Unset: the two-region CrrPair.",
    },
    {
        key: "roleArns",
        type: "array",
        arg: "roleArns",
        default: [],
        description:
            "An account per region: entries '<region>=<IAM role ARN>'; that region's provider assumes the role, so its side " +
            "lives in the role's account (cross-account replication). Regions without an entry use the stack's credentials.",
    },
    ...OPTION_KEYS.flatMap(optionKeys),
];

/** The program's settings: the two regions (or the mesh's), the naming prefix and every CrrPair option. */
export type ProgramSettings = {
    readonly namingPrefix: string;
    readonly primaryRegion: string;
    readonly secondaryRegion: string;
    /** Set: a CrrMesh over these regions instead of the pair. */
    readonly regions?: readonly string[];
    /** The role each region's provider assumes (another account), by region. */
    readonly roleArns: Readonly<Record<string, string>>;
    /**
     * Regions of the mesh about to leave it, with what becomes of their data (`regions` entries written
     * `<region>=retain` or `<region>=empty`); absent when none is leaving.
     */
    readonly leaving?: Readonly<Record<string, SideRemoval>>;
    /** Regions whose side adopts a bucket that exists (`existingBuckets`), with what it carries of the bucket. */
    readonly existingBuckets?: Readonly<Record<string, ExistingBucketConfig>>;
} & CrrPairOptions;

/**
 * The key of the buckets that exist already, by region: an object, so it is not one of {@link CONFIG_KEYS}
 * (Pulumi.yaml declares keys of type string, integer, boolean or array only). The program reads it, and
 * {@link unknownConfigKeys} knows it.
 */
export const EXISTING_BUCKETS_KEY = "existingBuckets";

/** One region's entry of `existingBuckets`: the bucket, and what it has that the component must keep. */
export interface ExistingBucketConfig {
    readonly bucket: string;
    /** The bucket's policy statements (IAM JSON), merged into the component's bucket policy. */
    readonly policyStatements?: CrrSideArgs["bucketPolicyStatements"];
    /** The bucket's lifecycle rules, in the provider's shape (camelCase), merged into the side's lifecycle. */
    readonly lifecycleRules?: CrrSideArgs["lifecycleRules"];
    /** The bucket's notification targets, in the provider's shapes, merged into the side's notification. */
    readonly notifications?: ExtraNotifications;
}

const ENTRY_FIELDS = ["bucket", "policyStatements", "lifecycleRules", "notifications"];
const NOTIFICATION_KINDS = { topics: "topicArn", queues: "queueArn", lambdaFunctions: "lambdaFunctionArn" } as const;

/**
 * Reads `existingBuckets` (its raw JSON value, undefined when unset) against the regions the stack builds.
 * Every problem names its place, `<project>:existingBuckets.<region>.<field>`, and what is allowed.
 */
export function readExistingBuckets(
    raw: string | undefined,
    regions: readonly string[],
    fullKey: (key: string) => string,
    problems: string[],
): Record<string, ExistingBucketConfig> | undefined {
    if (raw === undefined || raw.trim() === "") {
        return undefined;
    }
    const where = fullKey(EXISTING_BUCKETS_KEY);
    let parsed: unknown;
    try {
        parsed = JSON.parse(raw);
    } catch {
        parsed = undefined;
    }
    const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
    if (!isObject(parsed)) {
        problems.push(`${where} must be an object keyed by region, each { bucket, policyStatements?, lifecycleRules?, notifications? }, got '${raw}'`);
        return undefined;
    }
    const out: Record<string, ExistingBucketConfig> = {};
    const seen = new Map<string, string>();
    for (const [region, entry] of Object.entries(parsed)) {
        const at = `${where}.${region}`;
        if (!regions.includes(region)) {
            problems.push(`${at}: '${region}' is not one of the stack's regions (${regions.join(", ")})`);
            continue;
        }
        if (!isObject(entry)) {
            problems.push(`${at} must be { bucket, policyStatements?, lifecycleRules?, notifications? }, got ${JSON.stringify(entry)}`);
            continue;
        }
        for (const field of Object.keys(entry).filter((f) => !ENTRY_FIELDS.includes(f))) {
            problems.push(`${at}.${field} is not a field of an existing bucket's entry (fields: ${ENTRY_FIELDS.join(", ")})`);
        }
        const bucketProblem = existingBucketProblem(entry.bucket);
        if (bucketProblem !== undefined) {
            problems.push(`${at}.bucket ${bucketProblem}`);
        } else if (seen.has(entry.bucket as string)) {
            problems.push(`${at}.bucket '${entry.bucket}' is also ${where}.${seen.get(entry.bucket as string)}'s: each region replicates its own bucket`);
        } else {
            seen.set(entry.bucket as string, region);
        }
        for (const p of policyStatementProblems(entry.policyStatements)) {
            problems.push(`${at}.${p.path.replace(/^bucketPolicyStatements/, "policyStatements")} ${p.message}`);
        }
        for (const p of lifecycleRuleProblems(entry.lifecycleRules)) {
            problems.push(`${at}.${p.path} ${p.message}`);
        }
        const notifications = entry.notifications;
        if (notifications !== undefined) {
            if (!isObject(notifications)) {
                problems.push(`${at}.notifications must be { topics?, queues?, lambdaFunctions? }, got ${JSON.stringify(notifications)}`);
            } else {
                for (const [kind, targets] of Object.entries(notifications)) {
                    const arnField = NOTIFICATION_KINDS[kind as keyof typeof NOTIFICATION_KINDS];
                    if (arnField === undefined) {
                        problems.push(`${at}.notifications.${kind} is not a kind of notification target (topics, queues, lambdaFunctions)`);
                    } else if (!Array.isArray(targets) || targets.some((t) => !isObject(t) || typeof t[arnField] !== "string" || !Array.isArray(t.events) || t.events.length === 0)) {
                        problems.push(`${at}.notifications.${kind} must be a list of { ${arnField}, events: [...], filterPrefix?, filterSuffix? }`);
                    }
                }
            }
        }
        out[region] = entry as unknown as ExistingBucketConfig;
    }
    return out;
}

/** A region's side arguments from its `existingBuckets` entry (none when the region adopts no bucket). */
export function adoptedSide(settings: ProgramSettings, region: string): Partial<CrrSideArgs> {
    const entry = settings.existingBuckets?.[region];
    if (entry === undefined) {
        return {};
    }
    return {
        existingBucket: entry.bucket,
        ...(entry.policyStatements ? { bucketPolicyStatements: entry.policyStatements } : {}),
        ...(entry.lifecycleRules ? { lifecycleRules: entry.lifecycleRules } : {}),
        ...(entry.notifications ? { notifications: entry.notifications } : {}),
    };
}

const LEAVING = /^([^=]+)=(retain|empty)$/;

/**
 * A `regions` list with its leaving marks taken off: `eu-west-1=retain` is the region `eu-west-1`, whose side
 * keeps its buckets and key in AWS when a later deploy removes it (`empty`: deletes them with their objects).
 */
export function splitLeaving(entries: readonly string[]): { regions: string[]; leaving: Record<string, SideRemoval> } {
    const leaving: Record<string, SideRemoval> = {};
    const regions = entries.map((entry) => {
        const m = LEAVING.exec(entry);
        if (m) {
            leaving[m[1].trim()] = m[2] as SideRemoval;
            return m[1].trim();
        }
        return entry;
    });
    return { regions, leaving };
}

/** The regions the program builds: the mesh's when `regions` is set, else the pair's two. */
export function programRegions(settings: ProgramSettings): string[] {
    return settings.regions ? [...settings.regions] : [settings.primaryRegion, settings.secondaryRegion];
}

/** A stack value of an `array` key: a JSON list (what a stack file's YAML list becomes), or `a,b,c`. */
function parseList(raw: string): string[] | undefined {
    const text = raw.trim();
    if (text.startsWith("[")) {
        try {
            const parsed = JSON.parse(text);
            return Array.isArray(parsed) && parsed.every((v) => typeof v === "string") ? parsed.map((v) => v.trim()) : undefined;
        } catch {
            return undefined;
        }
    }
    return text.split(",").map((v) => v.trim()).filter((v) => v !== "");
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

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
        if (k.arg !== k.key && k.arg.includes(".")) {
            out = out.split(k.arg).join(k.key);
        }
    }
    // A mesh side is an entry of `regions`.
    return out.replace(/\bsides\[(\d+)\]\.region\b/g, "regions[$1]").replace(/\bsides\[(\d+)\]/g, "regions[$1]");
}

/**
 * Reads and validates the stack configuration through `get` (a raw string per key, undefined when unset);
 * `isSecret` says which keys (`<project>:<key>`) are secrets, so that one without a value is named as such.
 * Throws a `pulumi.RunError` (shown without a stack trace) that names every bad `<project>:<key>` and what
 * is allowed, before the program registers anything. An option that applies only with another option's
 * value (the KMS key's deletion window without a key) is dropped when that value is not set, so a stack may
 * keep declared defaults for options it does not use.
 */
export function readSettings(
    get: (key: string) => string | undefined,
    project: string,
    isSecret: (fullKey: string) => boolean = () => false,
): ProgramSettings {
    const problems: string[] = [];
    const fullKey = (key: string) => `${project}:${key}`;
    const values: Record<string, string | number | boolean | readonly string[] | undefined> = {};

    for (const spec of CONFIG_KEYS) {
        const raw = get(spec.key);
        if ((raw === undefined || raw === "") && isSecret(fullKey(spec.key))) {
            // A real run always gets a secret's value (the CLI decrypts it); a run that did not (an offline
            // plan) must not carry on with the default as if the key were unset.
            problems.push(
                `${fullKey(spec.key)} is a secret (secure: in the stack file) whose value this run did not get: an offline run ` +
                    "cannot decrypt it, and going on without it would plan something else than the stack deploys",
            );
            continue;
        }
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
        } else if (spec.type === "array") {
            const list = parseList(raw);
            if (list === undefined) {
                problems.push(`${fullKey(spec.key)} must be a list of strings (a YAML list, or a,b,c on the command line), got '${raw}'. ${spec.description}`);
            }
            values[spec.key] = list;
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
    // An object option: its boolean key turns it on, its settings' keys make up its object.
    const objects: Record<string, unknown> = {};
    for (const option of OPTION_KEYS) {
        const spec: AnyOptionSpec = OPTION_SPECS[option];
        if (spec.kind === "object") {
            const fields = Object.keys(spec.fields);
            objects[option] = values[option] === true ? Object.fromEntries(fields.map((f) => [f, values[fieldKey(option, f)]])) : false;
            fields.forEach((f) => delete values[fieldKey(option, f)]);
        }
    }
    Object.assign(values, objects);

    const split = splitLeaving((values.regions as unknown as string[] | undefined) ?? []);
    const regionsList = split.regions.length > 0 ? split.regions : undefined;
    const leaving = Object.keys(split.leaving).length > 0 ? { leaving: split.leaving } : {};
    const roleEntries = (values.roleArns as unknown as string[] | undefined) ?? [];
    const roleArns: Record<string, string> = {};
    for (const entry of roleEntries) {
        const eq = entry.indexOf("=");
        const [region, arn] = eq > 0 ? [entry.slice(0, eq).trim(), entry.slice(eq + 1).trim()] : ["", ""];
        if (!ROLE_ARN.test(arn)) {
            problems.push(`${fullKey("roleArns")} entries must be '<region>=arn:aws:iam::<12-digit account>:role/<name>', got '${entry}'`);
        } else if (region in roleArns) {
            problems.push(`${fullKey("roleArns")} names ${region} twice`);
        } else {
            roleArns[region] = arn;
        }
    }
    const base = { ...values, regions: regionsList, roleArns, ...leaving } as unknown as ProgramSettings;
    const existing = readExistingBuckets(get(EXISTING_BUCKETS_KEY), programRegions(base), fullKey, problems);
    for (const region of Object.keys(existing ?? {}).filter((r) => split.leaving[r] === "empty")) {
        problems.push(`${fullKey("regions")} marks ${region}=empty, but ${fullKey(EXISTING_BUCKETS_KEY)}.${region} is an adopted bucket, which the stack never deletes: use ${region}=retain`);
    }
    const settings = (existing ? { ...base, existingBuckets: existing } : base) as ProgramSettings;
    if (problems.length === 0) {
        const built = programRegions(settings);
        for (const region of Object.keys(roleArns).filter((r) => !built.includes(r))) {
            problems.push(`${fullKey("roleArns")} names ${region}, which is not one of the regions built (${built.join(", ")})`);
        }
        const side = (region: string) => ({ region, provider: undefined! });
        const argProblems: ArgProblem[] = settings.regions
            ? crrMeshArgProblems(
                  { ...pairOptions(settings), namingPrefix: settings.namingPrefix, sides: settings.regions.map(side) },
                  { checkProviders: false },
              )
            : crrPairArgProblems(
                  { ...pairOptions(settings), namingPrefix: settings.namingPrefix, primary: side(settings.primaryRegion), secondary: side(settings.secondaryRegion) },
                  { checkProviders: false },
              );
        const byArg = new Map(CONFIG_KEYS.map((k) => [k.arg, k.key]));
        for (const p of argProblems) {
            const side = /^sides(\[\d+\])/.exec(p.path);
            const label = side ? `${fullKey("regions")}${side[1]}` : byArg.has(p.path) ? fullKey(byArg.get(p.path)!) : p.path;
            problems.push(`${label} ${inConfigTerms(p.message)}`);
        }
    }
    if (problems.length > 0) {
        throw new pulumi.RunError(`Invalid stack configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    }
    return settings;
}

/**
 * The `aws:` settings this program reads, each a safety setting of the AWS provider that it passes to every
 * provider it makes. Pulumi applies `aws:` stack configuration to default providers only, which the stack
 * files disable (`pulumi:disable-default-providers`): an explicit `aws.Provider` takes only its arguments.
 * @see https://www.pulumi.com/registry/packages/aws/installation-configuration/
 */
export const PROVIDER_KEYS = {
    allowedAccountIds: "the only accounts the providers may reach: credentials of any other account fail before anything changes",
    forbiddenAccountIds: "accounts the providers must never reach",
} as const;

export type ProviderSettings = { [K in keyof typeof PROVIDER_KEYS]?: string[] };

const ACCOUNT_ID = /^\d{12}$/;

/**
 * Reads and validates the `aws:` safety settings through `get` (the raw value of `aws:<key>`): each a list of
 * 12-digit account ids written as strings (a YAML number would lose an account's leading zeros), not both
 * at once (the provider refuses that). Throws a `pulumi.RunError` naming every bad key.
 */
export function readProviderSettings(get: (key: string) => string | undefined): ProviderSettings {
    const problems: string[] = [];
    const settings: Record<string, string[]> = {};
    for (const key of Object.keys(PROVIDER_KEYS) as (keyof typeof PROVIDER_KEYS)[]) {
        const raw = get(key);
        if (raw === undefined || raw.trim() === "") {
            continue;
        }
        let parsed: unknown;
        try {
            parsed = raw.trim().startsWith("[") ? JSON.parse(raw) : raw.split(",").map((v) => v.trim());
        } catch {
            parsed = undefined;
        }
        const list = Array.isArray(parsed) ? parsed : undefined;
        const bad = list?.filter((v) => typeof v !== "string" || !ACCOUNT_ID.test(v));
        if (list === undefined || bad!.length > 0) {
            problems.push(
                `aws:${key} must be a list of 12-digit account ids written as strings (quoted in YAML: a number loses its leading zeros), ` +
                    `got ${list === undefined ? `'${raw}'` : bad!.map((v) => JSON.stringify(v)).join(", ")}`,
            );
        } else if (list.length > 0) {
            settings[key] = list as string[];
        }
    }
    if (settings.allowedAccountIds && settings.forbiddenAccountIds) {
        problems.push("aws:allowedAccountIds and aws:forbiddenAccountIds cannot both be set (the AWS provider refuses the pair): keep allowedAccountIds");
    }
    if (problems.length > 0) {
        throw new pulumi.RunError(`Invalid stack configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    }
    return settings;
}

/** Whether unknown configuration keys stop the program: in CI (`CI` set, as GitHub Actions and most CI systems set it). */
export function strictConfig(env: Record<string, string | undefined> = process.env): boolean {
    const ci = (env.CI ?? "").trim().toLowerCase();
    return ci !== "" && ci !== "false" && ci !== "0";
}

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/**
 * One message per configuration key the program does not read, each naming what was probably meant. A
 * misspelt key is otherwise ignored without a word, and a misspelt safety setting protects nothing:
 * - a key of this project's namespace that is not declared (`s3-crr:primaryRgion`): the nearest declared key;
 * - a declared key under another namespace (`s3crr:namingPrefix`, `crr:alarms`): the key in this project's;
 * - an `aws:` key other than those in {@link PROVIDER_KEYS} (`aws:allowedAccountIDs`, `aws:region`): Pulumi
 *   gives `aws:` configuration to default providers only, and this program's providers are explicit;
 * - a key of any other namespace but `pulumi:` (a misspelt project name).
 * `allConfig` is the stack's whole configuration, keys in `<namespace>:<key>` form. The program warns with
 * these, or stops on them where {@link strictConfig} says so.
 */
export function unknownConfigKeys(allConfig: Record<string, unknown>, project: string): string[] {
    const declared = [...CONFIG_KEYS.map((k) => k.key), EXISTING_BUCKETS_KEY];
    const providerKeys = Object.keys(PROVIDER_KEYS);
    const messages: string[] = [];
    for (const full of Object.keys(allConfig).sort()) {
        const colon = full.indexOf(":");
        const [namespace, key] = colon > 0 ? [full.slice(0, colon), full.slice(colon + 1)] : ["", full];
        if (namespace === project) {
            if (!declared.includes(key)) {
                messages.push(
                    `${full} is not a configuration key of this program and is ignored; did you mean ` +
                        `${project}:${nearest(key, declared, 1)[0]}? (keys: ${declared.join(", ")})`,
                );
            }
        } else if (namespace === "aws") {
            if (!providerKeys.includes(key)) {
                const close = nearest(key, providerKeys, 1)[0];
                const hint =
                    key === "region"
                        ? `the regions come from ${project}:primaryRegion and ${project}:secondaryRegion (or ${project}:regions)`
                        : squash(key) === squash(close) || editDistance(key.toLowerCase(), close.toLowerCase()) <= 3
                          ? `did you mean aws:${close}?`
                          : `the ones it reads are ${providerKeys.map((k) => `aws:${k}`).join(" and ")}`;
                messages.push(
                    `${full} is not read by this program: its AWS providers are explicit, and Pulumi applies aws: configuration to ` +
                        `default providers only; ${hint}`,
                );
            }
        } else if (namespace !== "pulumi") {
            const guess = declared.includes(key) ? key : nearest(key, declared, 1)[0];
            messages.push(
                `${full} is not read by this program: its keys are in the ${project} namespace (${project}:<key>), ` +
                    `the provider's safety settings under aws:; did you mean ${project}:${guess}?`,
            );
        }
    }
    return messages;
}
