/**
 * The Analyzer client, the pack's identity and its configuration requests: what GetAnalyzerInfo answers,
 * as the plan reads it, and the ConfigureStack and Configure requests a run sends before its first Analyze
 * call (analyzer.ts makes the calls).
 */
import * as grpc from "@grpc/grpc-js";
import { EnforcementLevel, LEVELS } from "./diagnostics";
import { struct } from "./messages";
import { PolicyConfigSchema, policyConfigProblems } from "./policyConfig";

const analyzerProto = require("@pulumi/pulumi/proto/analyzer_pb");

export interface PolicySummary {
    readonly name: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly configDefaults: Record<string, unknown>;
    /** The policy's settings as it declares them (absent: it has none). */
    readonly configSchema?: PolicyConfigSchema;
}

export interface AnalyzerInfo {
    readonly name: string;
    readonly version: string;
    readonly policies: readonly PolicySummary[];
}

/** `--policy-pack-config`: per policy, a level, or an object with `enforcementLevel` and settings. */
export type PolicyPackConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

/** The stack's identity and configuration, as ConfigureStack sends them. */
export interface StackIdentity {
    readonly project: string;
    readonly stack: string;
    readonly config: Record<string, string>;
}

/** A client of the pack's Analyzer service at `address` (host:port), taking answers of up to 400 MB. */
export function analyzerClient(address: string): any {
    const analyzerGrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
    return new analyzerGrpc.AnalyzerClient(address, grpc.credentials.createInsecure(), { "grpc.max_receive_message_length": 1024 * 1024 * 400 });
}

/** One unary call of a generated client's `method`. */
export function unary<Res = any>(client: any, method: string, request: unknown): Promise<Res> {
    return new Promise((resolve, reject) => client[method](request, (err: grpc.ServiceError | null, response: Res) => (err ? reject(err) : resolve(response))));
}

/** The pack's name, version and policies (with their schemas' defaults) from a GetAnalyzerInfo answer. */
export function analyzerInfoOf(info: any): AnalyzerInfo {
    return {
        name: info.getName(),
        version: info.getVersion(),
        policies: info.getPoliciesList().map((p: any) => {
            const described = p.getConfigschema();
            const schema = described?.getProperties()?.toJavaScript() ?? {};
            const configDefaults = Object.fromEntries(
                Object.entries(schema as Record<string, { default?: unknown }>)
                    .filter(([, s]) => s && s.default !== undefined)
                    .map(([k, s]) => [k, s.default]),
            );
            const configSchema: PolicyConfigSchema | undefined = described ? { properties: schema, required: described.getRequiredList() } : undefined;
            return { name: p.getName(), enforcementLevel: LEVELS[p.getEnforcementlevel()], configDefaults, ...(configSchema ? { configSchema } : {}) };
        }),
    };
}

/** A policy config the pack's policies do not accept (see policyConfig.ts): the user's input, exit 2. */
export class PolicyConfigError extends Error {
    constructor(readonly problems: readonly string[]) {
        super(`policy pack config is not what the policies accept:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "PolicyConfigError";
    }
}

/**
 * The stack's identity, then every policy's configuration: the user's level and settings over the schema
 * defaults (the CLI fills the defaults; the SDK does not). The config is checked first against what the
 * policies declare ({@link policyConfigProblems}: levels, types, ranges, enums, required settings, and
 * unknown policies and settings): a {@link PolicyConfigError} names every problem.
 */
export function configureRequests(info: AnalyzerInfo, stack: StackIdentity, config: PolicyPackConfig = {}): { configureStack: any; configure: any } {
    const problems = policyConfigProblems(info.policies, config);
    if (problems.length > 0) {
        throw new PolicyConfigError(problems);
    }
    const configureStack = new analyzerProto.AnalyzerStackConfigureRequest();
    configureStack.setStack(stack.stack);
    configureStack.setProject(stack.project);
    configureStack.setDryRun(true);
    for (const [k, v] of Object.entries(stack.config)) {
        configureStack.getConfigMap().set(k, v);
    }
    const configure = new analyzerProto.ConfigureAnalyzerRequest();
    for (const policy of info.policies) {
        const given = config[policy.name];
        const settings = typeof given === "string" ? { enforcementLevel: given } : (given ?? {});
        const { enforcementLevel, ...properties } = settings as { enforcementLevel?: EnforcementLevel };
        const level = enforcementLevel ?? policy.enforcementLevel;
        const pc = new analyzerProto.PolicyConfig();
        pc.setEnforcementlevel(LEVELS.indexOf(level));
        pc.setProperties(struct({ ...policy.configDefaults, ...properties }));
        configure.getPolicyconfigMap().set(policy.name, pc);
    }
    return { configureStack, configure };
}
