/**
 * Builds `ResourceValidationArgs` and `StackValidationArgs` the way @pulumi/policy's analyzer server does
 * (props behind the SDK's unknown-checking proxy, provider with its props, parent, dependencies and
 * property dependencies as resource objects, stack tags, getConfig with the CLI's schema defaults,
 * notApplicable), runs policies over them with the engine's enforcement rules, and collects violations.
 * In preview mode every property that came from another resource's output reads as unknown, as it does
 * for resources about to be created.
 */
import {
    EnforcementLevel,
    Policies,
    Policy,
    PolicyResource,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { POLICIES } from "../../policies/lib";
import { Registration } from "../support/mocks";

/** The SDK's unknown-value proxy (the values it stands for are not in its type declarations). */
export const proxy = require("@pulumi/policy/proxy") as {
    unknownCheckingProxy<T>(v: T): T;
    unknownStringValue: string;
    UnknownValueError: new (...a: any[]) => Error;
};

export interface Violation {
    readonly policy: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly message: string;
    readonly urn?: string;
}

export interface RunOptions {
    /** Simulate `pulumi preview` of a new stack: values that come from other resources are unknown. */
    readonly preview?: boolean;
    /** Policy pack config as `--policy-pack-config` gives it: per policy, `enforcementLevel` and settings. */
    readonly config?: Record<string, Record<string, unknown> | string>;
}

/** A resource record to hand-build stacks in tests (the shape the mocks record). */
export type Record_ = Pick<Registration, "type" | "name" | "urn" | "parent" | "provider" | "dependencies" | "propertyDependencies"> & {
    readonly inputs: Record<string, any>;
    readonly outputs?: Record<string, any>;
};

class NotApplicable extends Error {}

/** The props the analyzer would see for `r`. */
function propsOf(r: Record_, preview: boolean): Record<string, any> {
    if (!preview) {
        return r.outputs ?? r.inputs;
    }
    const props: Record<string, any> = { ...r.inputs };
    for (const [key, deps] of Object.entries(r.propertyDependencies)) {
        if (deps.length > 0 && key in props) {
            props[key] = proxy.unknownStringValue;
        }
    }
    return props;
}

/** Turns recorded registrations into the `PolicyResource` graph `AnalyzeStack` receives. */
export function policyResources(records: readonly Record_[], preview = false): PolicyResource[] {
    const byUrn = new Map<string, PolicyResource>();
    const providers = new Map(records.filter((r) => r.type.startsWith("pulumi:providers:")).map((r) => [r.urn, r]));
    // Reads (`Resource.get`, an adopted bucket) are left out as the engine leaves them out (pulumi/pulumi#3950).
    const resources = records
        .filter((r) => !r.type.startsWith("pulumi:providers:") && !(r as { read?: boolean }).read)
        .map((r) => {
            const providerRecord = providers.get(r.provider.split("::").slice(0, -1).join("::"));
            const resource: PolicyResource = {
                type: r.type,
                name: r.name,
                urn: r.urn,
                props: proxy.unknownCheckingProxy(propsOf(r, preview)),
                opts: { protect: false, ignoreChanges: [], deleteBeforeReplace: false, aliases: [], additionalSecretOutputs: [] } as any,
                dependencies: [],
                propertyDependencies: {},
                isType: () => false,
                asType: () => undefined,
                ...(providerRecord
                    ? {
                          provider: {
                              type: providerRecord.type,
                              name: providerRecord.name,
                              urn: providerRecord.urn,
                              props: proxy.unknownCheckingProxy(providerRecord.inputs),
                          },
                      }
                    : {}),
            };
            byUrn.set(r.urn, resource);
            return [r, resource] as const;
        });
    for (const [r, resource] of resources) {
        if (r.parent && byUrn.has(r.parent)) {
            resource.parent = byUrn.get(r.parent);
        }
        resource.dependencies = r.dependencies.map((u) => byUrn.get(u)).filter((d): d is PolicyResource => d !== undefined);
        for (const [key, urns] of Object.entries(r.propertyDependencies)) {
            resource.propertyDependencies[key] = urns.map((u) => byUrn.get(u)).filter((d): d is PolicyResource => d !== undefined);
        }
    }
    return resources.map(([, resource]) => resource);
}

function schemaDefaults(policy: Policy): Record<string, unknown> {
    const props = (policy.configSchema?.properties ?? {}) as Record<string, { default?: unknown }>;
    return Object.fromEntries(Object.entries(props).filter(([, s]) => s.default !== undefined).map(([k, s]) => [k, s.default]));
}

/** The pack's policy named `name` (its kebab-case name, as the policy config and the violations say it). */
export function policyNamed(name: string): Policy {
    const found = POLICIES.find((p) => p.name === name);
    if (!found) {
        throw new Error(`the pack has no policy named ${name} (${POLICIES.map((p) => p.name).join(", ")})`);
    }
    return found;
}

/** Runs `policies` over the stack as the engine does (Analyze per resource, then AnalyzeStack). */
export async function runPolicies(policies: Policies, records: readonly Record_[], options: RunOptions = {}): Promise<Violation[]> {
    const preview = options.preview ?? false;
    const violations: Violation[] = [];
    const resources = policyResources(records, preview);
    const stackTags = new Map<string, string>([["project", "s3-crr"]]);
    for (const policy of policies) {
        // A policy's entry is its settings, or (as the CLI accepts) just its enforcement level.
        const entry: unknown = options.config?.[policy.name] ?? {};
        const settings = (typeof entry === "string" ? { enforcementLevel: entry } : entry) as Record<string, unknown>;
        const level = (settings.enforcementLevel as EnforcementLevel | undefined) ?? policy.enforcementLevel ?? "advisory";
        if (level === "disabled") {
            continue;
        }
        const reported = level === "remediate" ? "mandatory" : level;
        const { enforcementLevel: _ignored, ...config } = { ...schemaDefaults(policy), ...settings };
        void _ignored;
        const base = {
            stackTags,
            getConfig: <T extends object>() => config as T,
            notApplicable: (reason?: string): never => {
                throw new NotApplicable(reason);
            },
        };
        // What the analyzer does with a policy's exceptions: unknown values → advisory "can't run", notApplicable → skip.
        const attempt = async (fn: () => unknown) => {
            try {
                await fn();
            } catch (e) {
                if (e instanceof proxy.UnknownValueError) {
                    violations.push({
                        policy: policy.name,
                        enforcementLevel: "advisory",
                        message: `can't run policy '${policy.name}' during preview: ${(e as Error).message}`,
                    });
                } else if (!(e instanceof NotApplicable)) {
                    throw e;
                }
            }
        };
        if ("validateResource" in policy && policy.validateResource) {
            const validations = ([] as any[]).concat((policy as ResourceValidationPolicy).validateResource);
            for (const resource of resources) {
                const args: ResourceValidationArgs = {
                    ...base,
                    type: resource.type,
                    name: resource.name,
                    urn: resource.urn,
                    props: resource.props,
                    opts: resource.opts,
                    provider: resource.provider,
                    isType: () => false,
                    asType: () => undefined,
                };
                const report = (message: string, urn?: string) =>
                    violations.push({ policy: policy.name, enforcementLevel: reported, message, urn: urn ?? resource.urn });
                for (const validate of validations) {
                    await attempt(() => validate(args, report));
                }
            }
        }
        if ("validateStack" in policy) {
            const args: StackValidationArgs = { ...base, resources };
            const report = (message: string, urn?: string) => violations.push({ policy: policy.name, enforcementLevel: reported, message, urn });
            await attempt(() => (policy as StackValidationPolicy).validateStack!(args, report));
        }
    }
    return violations;
}

/** "[level] policy: message" lines, for assertions whose failure shows every violation. */
export const describeViolations = (vs: readonly Violation[]) => vs.map((v) => `[${v.enforcementLevel}] ${v.policy}: ${v.message}`);

let serial = 0;
/** Hand-builds a resource record: `res(type, name, inputs, { deps, propDeps, parent, region })`. */
export function res(
    type: string,
    name: string,
    inputs: Record<string, any>,
    links: { propDeps?: Record<string, Record_[]>; deps?: Record_[]; parent?: Record_; provider?: Record_ } = {},
): Record_ {
    const propertyDependencies = Object.fromEntries(Object.entries(links.propDeps ?? {}).map(([k, rs]) => [k, rs.map((r) => r.urn)]));
    const dependencies = [...new Set([...Object.values(propertyDependencies).flat(), ...(links.deps ?? []).map((r) => r.urn)])];
    return {
        type,
        name,
        urn: `urn:pulumi:test::s3-crr::${type}::${name}-${serial++}`,
        parent: links.parent?.urn ?? "",
        provider: links.provider ? `${links.provider.urn}::id` : "",
        dependencies,
        propertyDependencies,
        inputs,
    };
}
