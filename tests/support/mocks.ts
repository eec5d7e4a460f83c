/**
 * The one mocks module of the test suite. Importing it installs Pulumi mocks (the real @pulumi/pulumi
 * runtime with a mock resource monitor) that answer with realistic ids and ARNs, and records every
 * registration request, with its parent, provider, dependencies and property dependencies, which
 * `MockResourceArgs` does not carry.
 */
import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";

export const PROJECT = "s3-crr";
export const STACK = "dev";
export const ACCOUNT_ID = "123456789012";

/** One registration as the engine would receive it. */
export interface Registration {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly custom: boolean;
    readonly parent: string;
    /** `<provider urn>::<provider id>`, empty when no provider was given. */
    readonly provider: string;
    /** URNs of every resource this one depends on (explicit `dependsOn` and through its inputs). */
    readonly dependencies: readonly string[];
    /** Per input property, the URNs its value came from. */
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
    readonly inputs: Record<string, any>;
    /** The state the mocks answered with (what the engine would hold as outputs). */
    readonly outputs: Record<string, any>;
}

let registrations: Registration[] = [];

/** A deterministic UUID-shaped id, so outputs are stable across runs. */
function uuidOf(seed: string): string {
    const h = crypto.createHash("sha256").update(seed).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const providerRegions = new Map<string, string>();

function regionOf(args: pulumi.runtime.MockResourceArgs): string {
    if (typeof args.inputs.region === "string") {
        return args.inputs.region;
    }
    const urn = (args.provider ?? "").split("::").slice(0, -1).join("::");
    return providerRegions.get(urn) ?? "us-east-1";
}


/** Outputs in each type's real format. */
export function mockState(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, any> } {
    const inputs = args.inputs;
    const region = regionOf(args);
    const account = ACCOUNT_ID;
    switch (args.type) {
        case "pulumi:providers:aws":
            return { id: `${args.name}-provider-id`, state: inputs };
        case "aws:s3/bucket:Bucket":
        case "aws:s3/bucketV2:BucketV2":
            return {
                id: inputs.bucket,
                state: {
                    ...inputs,
                    arn: `arn:aws:s3:::${inputs.bucket}`,
                    region,
                    bucketDomainName: `${inputs.bucket}.s3.amazonaws.com`,
                    bucketRegionalDomainName: `${inputs.bucket}.s3.${region}.amazonaws.com`,
                },
            };
        case "aws:iam/role:Role":
            return {
                id: inputs.name,
                state: { ...inputs, arn: `arn:aws:iam::${account}:role/${inputs.name}`, uniqueId: `AROA${uuidOf(inputs.name).slice(0, 17).toUpperCase()}` },
            };
        case "aws:iam/rolePolicy:RolePolicy":
            return { id: `${inputs.role}:${args.name}`, state: { ...inputs, name: args.name } };
        case "aws:cloudwatch/logGroup:LogGroup":
            return {
                id: inputs.name,
                state: { ...inputs, region, arn: `arn:aws:logs:${region}:${account}:log-group:${inputs.name}` },
            };
        case "aws:cloudtrail/trail:Trail":
            return {
                id: inputs.name,
                state: { ...inputs, region, arn: `arn:aws:cloudtrail:${region}:${account}:trail/${inputs.name}` },
            };
        case "aws:kms/key:Key": {
            const keyId = uuidOf(`${region}/${args.name}`);
            return { id: keyId, state: { ...inputs, region, keyId, arn: `arn:aws:kms:${region}:${account}:key/${keyId}` } };
        }
        case "aws:kms/alias:Alias":
            return { id: inputs.name, state: { ...inputs, arn: `arn:aws:kms:${region}:${account}:${inputs.name}` } };
        case "aws:cloudwatch/queryDefinition:QueryDefinition": {
            const queryDefinitionId = uuidOf(`${region}/${inputs.name}`);
            return { id: queryDefinitionId, state: { ...inputs, region, queryDefinitionId } };
        }
        default:
            return { id: `${args.name}-id`, state: { ...inputs, ...(inputs.region || args.custom ? { region } : {}) } };
    }
}

/** Inputs of the registration being answered: MockMonitor deserializes them once, for newResource. */
let lastInputs: Record<string, any> = {};
let lastOutputs: Record<string, any> = {};

const mocks: pulumi.runtime.Mocks = {
    newResource(args) {
        lastInputs = args.inputs;
        const result = mockState(args);
        lastOutputs = result.state;
        if (args.type === "pulumi:providers:aws" && typeof args.inputs.region === "string") {
            providerRegions.set(`urn:pulumi:${STACK}::${PROJECT}::pulumi:providers:aws::${args.name}`, args.inputs.region);
        }
        return result;
    },
    call(args) {
        const account = ACCOUNT_ID;
        switch (args.token) {
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return {
                    accountId: account,
                    arn: `arn:aws:iam::${account}:user/tester`,
                    userId: "AIDAEXAMPLEUSERID",
                    id: account,
                };
            case "aws:index/getPartition:getPartition":
                return { id: "aws", partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
            default:
                // An invoke the code under test makes but these mocks do not know is a test failure.
                throw new Error(`mocks: unexpected invoke ${args.token}`);
        }
    },
};

// setMocks installs the mock monitor synchronously (its promise only flags features) before any program
// module is imported by a spec.
void pulumi.runtime.setMocks(mocks, PROJECT, STACK, false);

type Callback = (err: unknown, response: any) => void;
const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: any, cb: Callback): void };
const registerResource = monitor.registerResource.bind(monitor);
monitor.registerResource = (req: any, callback: Callback) => {
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
        propertyDependencies[key] = deps.getUrnsList();
    });
    let inputs: Record<string, any> = {};
    let outputs: Record<string, any> = {};
    registerResource(req, (err: unknown, response: any) => {
        if (!err && response) {
            registrations.push({
                type: req.getType(),
                name: req.getName(),
                urn: response.getUrn(),
                custom: req.getCustom(),
                parent: req.getParent(),
                provider: req.getProvider(),
                dependencies: req.getDependenciesList(),
                propertyDependencies,
                inputs,
                outputs,
            });
        }
        callback(err, response);
    });
    // MockMonitor.registerResource calls newResource before its first await, so its inputs are set now.
    inputs = lastInputs;
    outputs = lastOutputs;
};

/** Forgets what earlier tests registered. */
export function resetRecords(): void {
    registrations = [];
}

const waitForRPCs: () => Promise<void> = require("@pulumi/pulumi/runtime/settings").waitForRPCs;

/** Waits until every registration, invoke and apply the program started has finished. */
export async function settle(): Promise<void> {
    await waitForRPCs();
}

/** Every registration so far, in the order the monitor answered them. */
export function registered(): readonly Registration[] {
    return registrations;
}

export function ofType(type: string): Registration[] {
    return registrations.filter((r) => r.type === type);
}

/** The one registration of `type` named `name`; fails naming what was there instead. */
export function find(type: string, name: string): Registration {
    const hits = registrations.filter((r) => r.type === type && r.name === name);
    if (hits.length !== 1) {
        const names = ofType(type).map((r) => r.name);
        throw new Error(`expected one ${type} named '${name}', found ${hits.length}; registered: ${names.join(", ") || "none"}`);
    }
    return hits[0];
}

export function byUrn(urn: string): Registration {
    const hit = registrations.find((r) => r.urn === urn);
    if (!hit) {
        throw new Error(`no registration with URN ${urn}`);
    }
    return hit;
}

/** The names of what `reg` depends on, as `<type>::<name>`. */
export function dependencyNames(reg: Registration): string[] {
    return reg.dependencies.map((urn) => {
        const r = byUrn(urn);
        return `${r.type}::${r.name}`;
    });
}

/** The provider registration `reg` was created with. */
export function providerOf(reg: Registration): Registration {
    if (!reg.provider) {
        throw new Error(`${reg.type} '${reg.name}' has no explicit provider`);
    }
    return byUrn(reg.provider.split("::").slice(0, -1).join("::"));
}

/** The value of an Output, for assertions. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}


/**
 * Runs `fn` with stack capture off. Pulumi records `new Error().stack` for every promise it creates, and
 * under ts-node every such stack goes through source-map-support: that alone is ~80% of the time a
 * CrrPair takes to register under mocks. Assertions run outside, with full stacks.
 */
export async function withoutStackCapture<T>(fn: () => Promise<T>): Promise<T> {
    const saved = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return await fn();
    } finally {
        Error.stackTraceLimit = saved;
    }
}
