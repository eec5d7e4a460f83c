/**
 * A policy config (`--policy-pack-config`, `policies/config/<stack>.json`) checked against the pack's own
 * description of it, before the plan applies it. The engine validates each policy's settings against its
 * `configSchema` (types, ranges, enums, required settings) and refuses the file otherwise; a plan that did
 * less would apply a setting the engine refuses (`"minimumDays": "seven"` reached the policy as a string,
 * which it ignored: the check was off, and the plan passed). This goes further than the engine, which accepts
 * unknown settings and unknown policy names without a word: both are errors here, since a misspelt name
 * leaves a policy at its default level and a misspelt setting leaves it at its default.
 */
import { EnforcementLevel, LEVELS } from "./diagnostics";
import { nearest } from "../../components/model/suggest";

/** A JSON Schema, as far as policy configs use it (the SDK's `PolicyConfigJSONSchema` and its properties). */
export interface JsonSchema {
    readonly type?: string | readonly string[];
    readonly enum?: readonly unknown[];
    readonly const?: unknown;
    readonly minimum?: number;
    readonly maximum?: number;
    /** A number (draft 6 and later) or a flag on `minimum` (draft 4). */
    readonly exclusiveMinimum?: number | boolean;
    readonly exclusiveMaximum?: number | boolean;
    readonly multipleOf?: number;
    readonly minLength?: number;
    readonly maxLength?: number;
    readonly pattern?: string;
    readonly items?: JsonSchema;
    readonly minItems?: number;
    readonly maxItems?: number;
    readonly uniqueItems?: boolean;
    readonly properties?: Readonly<Record<string, JsonSchema>>;
    readonly required?: readonly string[];
    readonly additionalProperties?: boolean | JsonSchema;
    readonly default?: unknown;
}

/** A policy's config schema as GetAnalyzerInfo describes it: its settings and which of them are required. */
export interface PolicyConfigSchema {
    readonly properties: Readonly<Record<string, JsonSchema>>;
    readonly required: readonly string[];
}

/** What the check needs to know of each policy of the pack. */
export interface PolicyDescription {
    readonly name: string;
    readonly configSchema?: PolicyConfigSchema;
}

const show = (v: unknown) => JSON.stringify(v) ?? String(v);

/** The name meant: one that contains the given one or is contained in it (a name cut short), else the nearest. */
function suggest(value: string, candidates: readonly string[]): string {
    const within = candidates.filter((c) => c.includes(value) || value.includes(c));
    return nearest(value, within.length > 0 ? within : candidates, 1)[0];
}

function typeOf(value: unknown): string {
    if (value === null) {
        return "null";
    }
    if (Array.isArray(value)) {
        return "array";
    }
    if (typeof value === "number") {
        return Number.isInteger(value) ? "integer" : "number";
    }
    return typeof value;
}

const hasType = (value: unknown, type: string) => {
    const actual = typeOf(value);
    return actual === type || (type === "number" && actual === "integer");
};

/** The problems of `value` under `schema`, each naming `path` (`policy.setting`, `policy.setting[2]`). */
export function schemaProblems(schema: JsonSchema, value: unknown, path: string): string[] {
    const types = schema.type === undefined ? [] : typeof schema.type === "string" ? [schema.type] : schema.type;
    if (types.length > 0 && !types.some((t) => hasType(value, t))) {
        return [`${path} must be ${types.map((t) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`)).join(" or ")}, got ${show(value)}`];
    }
    const problems: string[] = [];
    if (schema.enum !== undefined && !schema.enum.some((allowed) => show(allowed) === show(value))) {
        problems.push(`${path} must be one of ${schema.enum.map(show).join(", ")}, got ${show(value)}`);
    }
    if (schema.const !== undefined && show(schema.const) !== show(value)) {
        problems.push(`${path} must be ${show(schema.const)}, got ${show(value)}`);
    }
    if (typeof value === "number") {
        const exclusiveMin = typeof schema.exclusiveMinimum === "number" ? schema.exclusiveMinimum : schema.exclusiveMinimum === true ? schema.minimum : undefined;
        const exclusiveMax = typeof schema.exclusiveMaximum === "number" ? schema.exclusiveMaximum : schema.exclusiveMaximum === true ? schema.maximum : undefined;
        if (schema.minimum !== undefined && schema.exclusiveMinimum !== true && value < schema.minimum) {
            problems.push(`${path} must be at least ${schema.minimum}, got ${value}`);
        }
        if (exclusiveMin !== undefined && value <= exclusiveMin) {
            problems.push(`${path} must be more than ${exclusiveMin}, got ${value}`);
        }
        if (schema.maximum !== undefined && schema.exclusiveMaximum !== true && value > schema.maximum) {
            problems.push(`${path} must be at most ${schema.maximum}, got ${value}`);
        }
        if (exclusiveMax !== undefined && value >= exclusiveMax) {
            problems.push(`${path} must be less than ${exclusiveMax}, got ${value}`);
        }
        if (schema.multipleOf !== undefined && !Number.isInteger(value / schema.multipleOf)) {
            problems.push(`${path} must be a multiple of ${schema.multipleOf}, got ${value}`);
        }
    }
    if (typeof value === "string") {
        if (schema.minLength !== undefined && value.length < schema.minLength) {
            problems.push(`${path} must be at least ${schema.minLength} characters long, got ${show(value)}`);
        }
        if (schema.maxLength !== undefined && value.length > schema.maxLength) {
            problems.push(`${path} must be at most ${schema.maxLength} characters long, got ${show(value)}`);
        }
        if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value)) {
            problems.push(`${path} must match ${schema.pattern}, got ${show(value)}`);
        }
    }
    if (Array.isArray(value)) {
        if (schema.minItems !== undefined && value.length < schema.minItems) {
            problems.push(`${path} must hold at least ${schema.minItems} items, got ${value.length}`);
        }
        if (schema.maxItems !== undefined && value.length > schema.maxItems) {
            problems.push(`${path} must hold at most ${schema.maxItems} items, got ${value.length}`);
        }
        if (schema.uniqueItems && new Set(value.map(show)).size !== value.length) {
            problems.push(`${path} must hold each item once`);
        }
        if (schema.items !== undefined) {
            value.forEach((item, i) => problems.push(...schemaProblems(schema.items!, item, `${path}[${i}]`)));
        }
    }
    if (typeOf(value) === "object" && (schema.properties !== undefined || schema.required !== undefined || schema.additionalProperties !== undefined)) {
        problems.push(...objectProblems(schema.properties ?? {}, schema.required ?? [], schema.additionalProperties, value as Record<string, unknown>, path));
    }
    return problems;
}

function objectProblems(
    properties: Readonly<Record<string, JsonSchema>>,
    required: readonly string[],
    additional: boolean | JsonSchema | undefined,
    value: Record<string, unknown>,
    path: string,
): string[] {
    const problems: string[] = [];
    for (const name of required.filter((r) => !(r in value))) {
        problems.push(`${path}.${name} is required`);
    }
    for (const [name, v] of Object.entries(value)) {
        if (name in properties) {
            problems.push(...schemaProblems(properties[name], v, `${path}.${name}`));
        } else if (additional === false) {
            problems.push(`${path}.${name} is not allowed`);
        } else if (typeof additional === "object") {
            problems.push(...schemaProblems(additional, v, `${path}.${name}`));
        }
    }
    return problems;
}

/**
 * Every problem of `config` (the parsed file) for a pack of `policies`: as the engine, a level other than
 * advisory, mandatory, remediate or disabled, a setting of the wrong type or out of its range or enum, a
 * required setting missing; beyond the engine, a policy the pack does not have and a setting the policy does
 * not declare, each with the nearest name. Empty when the file is fine.
 */
export function policyConfigProblems(policies: readonly PolicyDescription[], config: unknown): string[] {
    if (typeOf(config) !== "object") {
        return [`must be a JSON object mapping policy names to an enforcement level or to { "enforcementLevel": ..., settings }, got ${show(config)}`];
    }
    const problems: string[] = [];
    const names = policies.map((p) => p.name);
    const levelProblem = (where: string, level: unknown) =>
        LEVELS.includes(level as EnforcementLevel) ? [] : [`${where} must be one of ${LEVELS.join(", ")}, got ${show(level)}`];
    for (const [name, value] of Object.entries(config as Record<string, unknown>)) {
        const policy = policies.find((p) => p.name === name);
        if (policy === undefined) {
            problems.push(`'${name}' is not a policy of the pack (unknown policies would be ignored); did you mean '${suggest(name, names)}'?`);
            continue;
        }
        if (typeof value === "string") {
            problems.push(...levelProblem(name, value));
            continue;
        }
        if (typeOf(value) !== "object") {
            problems.push(`${name} must be an enforcement level or an object of enforcementLevel and settings, got ${show(value)}`);
            continue;
        }
        const { enforcementLevel, ...settings } = value as Record<string, unknown>;
        if (enforcementLevel !== undefined) {
            problems.push(...levelProblem(`${name}.enforcementLevel`, enforcementLevel));
        }
        const schema = policy.configSchema ?? { properties: {}, required: [] };
        const declared = Object.keys(schema.properties);
        for (const setting of Object.keys(settings).filter((s) => !declared.includes(s))) {
            problems.push(
                `${name}.${setting} is not a setting of ${name} (unknown settings would be ignored); ` +
                    (declared.length === 0 ? "it has none" : `did you mean ${name}.${suggest(setting, declared)}? (settings: ${declared.join(", ")})`),
            );
        }
        const known = Object.fromEntries(Object.entries(settings).filter(([s]) => declared.includes(s)));
        problems.push(...objectProblems(schema.properties, [], undefined, known, name));
    }
    // A required setting is filled from its schema default (the CLI does that); without one it must be given,
    // for every policy of the pack, named in the file or not.
    for (const policy of policies) {
        const given = (config as Record<string, unknown>)[policy.name];
        const settings = typeOf(given) === "object" ? (given as Record<string, unknown>) : {};
        for (const setting of policy.configSchema?.required ?? []) {
            if (!(setting in settings) && policy.configSchema?.properties[setting]?.default === undefined) {
                problems.push(`${policy.name}.${setting} is required (the policy declares no default)`);
            }
        }
    }
    return problems;
}
