/**
 * The multi-language plugin's arguments (packages/crr-pair-plugin) against OPTION_SPECS. The plugin's
 * interfaces are hand-written (Pulumi's schema analyzer reads their TypeScript types), so a test holds them
 * to the option table: the same option names, a matching type, and the default its description states.
 * The unit suite reads the interfaces with the compiler's parser, the package test the schema Pulumi
 * generates from them; both describe an argument in the terms below.
 */
import { AnyFieldSpec, AnyOptionSpec, OPTION_KEYS, OPTION_SPECS } from "../../components";

/** One argument: its type as `string`, `number`, `boolean`, `string[]` or the name of an args interface. */
export interface PluginArg {
    readonly name: string;
    readonly type: string;
    readonly description: string;
}

/** The arguments of CrrPair and CrrMesh that are not options. */
const NOT_OPTIONS = ["namingPrefix", "primary", "secondary", "sides", "grownFromPair", "tags"];

/** A side's arguments besides its options: the plugin's own (its region; a mesh side's key and history). */
// An adopted bucket's own statements and rules are JSON lists in the plugin (the schema cannot express the
// provider's IAM and lifecycle types).
const SIDE_ARGS = ["region", "notifications", "existingBucket", "bucketPolicyStatementsJson", "lifecycleRulesJson"];
const MESH_SIDE_ARGS = [...SIDE_ARGS, "key", "formerKeys", "onRemoval"];

/** The plugin's type of an option or a setting: its schema takes no unions and no literal types. */
const PLUGIN_TYPES = { boolean: "boolean", integer: "number", list: "string[]", object: "an args interface", pattern: "string" } as const;
const pluginType = (spec: AnyOptionSpec | AnyFieldSpec): string => (spec.kind === "oneOf" ? typeof spec.values[0] : PLUGIN_TYPES[spec.kind]);

/** How a plugin description states a default: `(default 30)`, `(default STANDARD)`, `(default none)`. */
function defaultText(spec: AnyOptionSpec | AnyFieldSpec): string {
    if (spec.kind === "object") {
        return spec.default ? "on" : "off";
    }
    if (spec.kind === "pattern" && spec.default === "") {
        return "none"; // the empty string stands for "not set"
    }
    return Array.isArray(spec.default) ? (spec.default.length === 0 ? "none" : spec.default.join(", ")) : String(spec.default);
}

const statedDefault = (description: string) => /\(default ([^)]*)\)/.exec(description)?.[1];

/**
 * Every disagreement between the plugin's arguments, as `args` gives each interface's (`CrrPairArgs`,
 * `CrrSideArgs` and the object options' interfaces), and OPTION_SPECS; empty when they agree.
 */
export function pluginArgProblems(args: (name: string) => readonly PluginArg[]): string[] {
    const problems: string[] = [];
    const check = (label: string, arg: PluginArg | undefined, spec: AnyOptionSpec | AnyFieldSpec, withDefault: boolean) => {
        if (arg === undefined) {
            problems.push(`${label}: missing from the plugin's args`);
            return;
        }
        const expected = pluginType(spec);
        if (spec.kind === "object" ? !/Args$/.test(arg.type) : arg.type !== expected) {
            problems.push(`${label}: the plugin's type is ${arg.type}, OPTION_SPECS's kind ${spec.kind} needs ${expected}`);
        }
        const stated = statedDefault(arg.description);
        if (withDefault && stated !== defaultText(spec)) {
            problems.push(
                `${label}: the plugin's description states (default ${stated ?? "?"}), OPTION_SPECS's ${JSON.stringify(spec.default)} reads (default ${defaultText(spec)}): "${arg.description}"`,
            );
        }
    };
    for (const component of ["CrrPairArgs", "CrrMeshArgs"]) {
        problems.push(...optionProblems(component, args, check));
    }
    // A side's options default to the pair's value.
    const perSide = OPTION_KEYS.filter((k) => OPTION_SPECS[k].perSide);
    for (const [iface, own] of [["CrrSideArgs", SIDE_ARGS], ["CrrMeshSideArgs", MESH_SIDE_ARGS]] as const) {
        const side = args(iface);
        if (side.map((a) => a.name).sort().join() !== [...own, ...perSide].sort().join()) {
            problems.push(`${iface}: the plugin's has ${side.map((a) => a.name).join(", ")}, OPTION_SPECS's per-side options are ${perSide.join(", ")}`);
        }
        for (const option of perSide) {
            check(`${iface}.${option}`, side.find((a) => a.name === option), OPTION_SPECS[option], false);
        }
    }
    return problems;
}

type Check = (label: string, arg: PluginArg | undefined, spec: AnyOptionSpec | AnyFieldSpec, withDefault: boolean) => void;

/** The disagreements of one component's args (`CrrPairArgs`, `CrrMeshArgs`) with the option table. */
function optionProblems(component: string, args: (name: string) => readonly PluginArg[], check: Check): string[] {
    const problems: string[] = [];
    const pair = args(component);
    const extra = pair.map((a) => a.name).filter((n) => !NOT_OPTIONS.includes(n) && !(OPTION_KEYS as string[]).includes(n));
    problems.push(...extra.map((n) => `${component}.${n}: in the plugin's args, not an option of OPTION_SPECS`));
    for (const option of OPTION_KEYS) {
        const spec: AnyOptionSpec = OPTION_SPECS[option];
        const arg = pair.find((a) => a.name === option);
        check(component === "CrrPairArgs" ? option : `${component}.${option}`, arg, spec, true);
        if (spec.kind === "object" && arg !== undefined && /Args$/.test(arg.type)) {
            // `{ enabled?, ...settings }`: `enabled: false` turns the option off, given it is on.
            const settings = args(arg.type);
            const enabled = settings.find((s) => s.name === "enabled");
            if (enabled?.type !== "boolean" || statedDefault(enabled.description) !== "true") {
                problems.push(`${option}.enabled: must be a boolean stating (default true), got ${JSON.stringify(enabled)}`);
            }
            const names = settings.map((s) => s.name).filter((n) => n !== "enabled");
            if (names.join() !== Object.keys(spec.fields).join()) {
                problems.push(`${option}: the plugin's ${arg.type} has ${names.join(", ")}, OPTION_SPECS ${Object.keys(spec.fields).join(", ")}`);
            }
            for (const [field, fieldSpec] of Object.entries(spec.fields)) {
                check(`${option}.${field}`, settings.find((s) => s.name === field), fieldSpec, true);
            }
        }
    }
    return problems;
}
