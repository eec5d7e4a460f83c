/**
 * Pulumi mocks with realistic outputs, and a recorder of every registration request. Shared by the test
 * suite (tests/support/mocks.ts) and `npm run plan`: the real @pulumi/pulumi runtime runs the program, a
 * mock resource monitor answers with ids and ARNs in each type's real format, and every request is kept
 * with its parent, provider, dependencies and property dependencies (which `MockResourceArgs` lacks).
 */
import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";

export const MOCK_ACCOUNT_ID = "123456789012";

/** One registration as the engine would receive it. */
export interface Registration {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly custom: boolean;
    /** The `protect` resource option (recorded as true or false; absent from hand-built registrations). */
    readonly protect?: boolean;
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
    /** The `ignoreChanges` resource option, as the registration request carried it (absent in hand-made records). */
    readonly ignoreChanges?: readonly string[];
    /** The URNs the `aliases` option names, each worked out as the engine does (absent in hand-made records). */
    readonly aliases?: readonly string[];
    /** The `retainOnDelete` resource option (absent in hand-made records). */
    readonly retainOnDelete?: boolean;
    /**
     * A resource the program reads (`Resource.get`, e.g. a side's `existingBucket`) rather than registers: the
     * engine never creates, updates nor deletes it. Absent for registrations.
     */
    readonly read?: boolean;
    /** The ID a read names (`Resource.get`'s id: for a bucket, its name). Reads only. */
    readonly id?: string;
}

/** The qualified type of a URN (`parent$child` types), or "" for the stack itself and for no URN. */
function qualifiedType(urn: string): string {
    const type = urn.split("::")[2] ?? "";
    return type === "" || type === "pulumi:pulumi:Stack" ? "" : type;
}

/**
 * The URN an alias of a registration stands for, as the engine works it out: an alias given as a URN is that
 * URN; a spec takes each part it leaves out from the resource (name, type, project, stack, parent).
 */
export function aliasUrn(alias: any, req: { name: string; type: string; parent: string }, project: string, stack: string): string {
    if (alias.getUrn()) {
        return alias.getUrn();
    }
    const spec = alias.getSpec();
    const parent = spec.getNoparent() ? "" : spec.getParenturn() || req.parent;
    const chain = qualifiedType(parent);
    const type = spec.getType() || req.type;
    return `urn:pulumi:${spec.getStack() || stack}::${spec.getProject() || project}::${chain ? `${chain}$` : ""}${type}::${spec.getName() || req.name}`;
}

export interface MockOptions {
    readonly project: string;
    readonly stack: string;
    /** Region of resources that have neither a `region` argument nor a provider with one (`aws:region`). */
    readonly defaultRegion?: string;
    readonly accountId?: string;
    /**
     * Answer each registration on a later turn of the event loop, as a real monitor's answers arrive
     * over gRPC, instead of within the same chain of promise jobs. Without it a program runs start to
     * finish without letting I/O through, so nothing the run streams out (the policy pack's `Analyze`
     * calls) leaves the process before the program ends.
     */
    readonly answerAsynchronously?: boolean;
}

/** A deterministic UUID-shaped id, so outputs are stable across runs. */
export function uuidOf(seed: string): string {
    const h = crypto.createHash("sha256").update(seed).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The account of the first role a provider assumes; provider inputs carry nested values as JSON text. */
function assumedRoleAccount(assumeRoles: unknown): string | undefined {
    let roles = assumeRoles;
    if (typeof roles === "string") {
        try {
            roles = JSON.parse(roles);
        } catch {
            return undefined;
        }
    }
    const first = Array.isArray(roles) ? (roles[0] as { roleArn?: unknown } | undefined) : undefined;
    const match = typeof first?.roleArn === "string" ? /^arn:[^:]+:iam::(\d{12}):role\//.exec(first.roleArn) : null;
    return match ? match[1] : undefined;
}

/** Answers resource registrations and invokes with values in each type's real format. */
export class RealisticMocks implements pulumi.runtime.Mocks {
    private readonly providerRegions = new Map<string, string>();
    private providerSerial = 0;
    /** Inputs and state of the registration being answered (MockMonitor deserializes them once). */
    lastInputs: Record<string, any> = {};
    lastOutputs: Record<string, any> = {};

    constructor(private readonly options: MockOptions) {}

    private readonly providerAccounts = new Map<string, string>();

    private get account() {
        return this.options.accountId ?? MOCK_ACCOUNT_ID;
    }

    /**
     * The account a provider reaches: the account of the role it assumes (`assumeRoles[0].roleArn`, as a
     * provider for another account is usually configured), else the mocks' account.
     */
    accountOf(providerRef: string | undefined): string {
        const providerId = (providerRef ?? "").split("::").pop() ?? "";
        return this.providerAccounts.get(providerId) ?? this.account;
    }

    regionOf(inputs: Record<string, any>, providerRef: string | undefined): string {
        if (typeof inputs.region === "string" && inputs.region !== "") {
            return inputs.region;
        }
        const providerId = (providerRef ?? "").split("::").pop() ?? "";
        return this.providerRegions.get(providerId) ?? this.options.defaultRegion ?? "us-east-1";
    }

    newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
        this.lastInputs = args.inputs;
        const result = this.state(args);
        this.lastOutputs = result.state;
        return result;
    }

    private state(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, any> } {
        const inputs = args.inputs;
        const region = this.regionOf(inputs, args.provider);
        const account = this.accountOf(args.provider);
        switch (args.type) {
            case "pulumi:providers:aws": {
                const id = `${args.name}-${this.providerSerial++}`;
                this.providerRegions.set(id, typeof inputs.region === "string" ? inputs.region : region);
                const assumed = assumedRoleAccount(inputs.assumeRoles);
                if (assumed !== undefined) {
                    this.providerAccounts.set(id, assumed);
                }
                return { id, state: inputs };
            }
            case "aws:s3/bucket:Bucket":
            case "aws:s3/bucketV2:BucketV2": {
                // A read (`Bucket.get`) names the bucket by its id.
                const bucket = inputs.bucket ?? args.id ?? `${args.name}-${uuidOf(args.name).slice(0, 7)}`;
                return {
                    id: bucket,
                    state: {
                        ...inputs,
                        bucket,
                        arn: `arn:aws:s3:::${bucket}`,
                        region,
                        bucketDomainName: `${bucket}.s3.amazonaws.com`,
                        bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com`,
                    },
                };
            }
            case "aws:iam/role:Role": {
                const name = inputs.name ?? `${args.name}-${uuidOf(args.name).slice(0, 7)}`;
                return {
                    id: name,
                    state: { ...inputs, name, arn: `arn:aws:iam::${account}:role/${name}`, uniqueId: `AROA${uuidOf(name).slice(0, 17).toUpperCase()}` },
                };
            }
            case "aws:iam/policy:Policy": {
                const name = inputs.name ?? args.name;
                const arn = `arn:aws:iam::${account}:policy/${name}`;
                return { id: arn, state: { ...inputs, name, arn } };
            }
            case "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
                // IAM names a provider by its URL without the scheme.
                const host = String(inputs.url ?? "").replace(/^https:\/\//, "");
                const arn = `arn:aws:iam::${account}:oidc-provider/${host}`;
                return { id: arn, state: { ...inputs, arn } };
            }
            case "aws:iam/rolePolicy:RolePolicy":
                return { id: `${inputs.role}:${args.name}`, state: { ...inputs, name: inputs.name ?? args.name } };
            case "aws:cloudwatch/logGroup:LogGroup": {
                const name = inputs.name ?? args.name;
                return { id: name, state: { ...inputs, name, region, arn: `arn:aws:logs:${region}:${account}:log-group:${name}` } };
            }
            case "aws:cloudtrail/trail:Trail": {
                const name = inputs.name ?? args.name;
                return { id: name, state: { ...inputs, name, region, arn: `arn:aws:cloudtrail:${region}:${account}:trail/${name}` } };
            }
            case "aws:kms/key:Key": {
                const keyId = uuidOf(`${region}/${args.name}`);
                return { id: keyId, state: { ...inputs, region, keyId, arn: `arn:aws:kms:${region}:${account}:key/${keyId}` } };
            }
            case "aws:sns/topic:Topic": {
                const name = inputs.name ?? `${args.name}-${uuidOf(args.name).slice(0, 7)}`;
                return { id: `arn:aws:sns:${region}:${account}:${name}`, state: { ...inputs, name, region, arn: `arn:aws:sns:${region}:${account}:${name}` } };
            }
            case "aws:cloudwatch/metricAlarm:MetricAlarm": {
                const name = inputs.name ?? args.name;
                return { id: name, state: { ...inputs, name, region, arn: `arn:aws:cloudwatch:${region}:${account}:alarm:${name}` } };
            }
            case "aws:cloudwatch/dashboard:Dashboard":
                return {
                    id: inputs.dashboardName,
                    state: { ...inputs, region, dashboardArn: `arn:aws:cloudwatch::${account}:dashboard/${inputs.dashboardName}` },
                };
            case "aws:kms/alias:Alias":
                return { id: inputs.name, state: { ...inputs, region, arn: `arn:aws:kms:${region}:${account}:${inputs.name}` } };
            case "aws:backup/vault:Vault": {
                const name = inputs.name ?? args.name;
                return { id: name, state: { ...inputs, name, region, arn: `arn:aws:backup:${region}:${account}:backup-vault:${name}`, recoveryPoints: 0 } };
            }
            case "aws:backup/plan:Plan": {
                const id = uuidOf(`${region}/plan/${inputs.name ?? args.name}`);
                return { id, state: { ...inputs, region, arn: `arn:aws:backup:${region}:${account}:backup-plan:${id}`, version: uuidOf(id).replace(/-/g, "") } };
            }
            case "aws:backup/selection:Selection": {
                const id = uuidOf(`${region}/selection/${inputs.name ?? args.name}`);
                return { id, state: { ...inputs, region } };
            }
            case "aws:s3control/multiRegionAccessPoint:MultiRegionAccessPoint": {
                // Aliases are 13 lowercase characters and `.mrap`; the ARN has no region.
                const alias = `${uuidOf(`mrap/${inputs.details?.name}`).replace(/[^a-z0-9]/g, "").slice(0, 13)}.mrap`;
                return {
                    id: `${account}:${inputs.details?.name}`,
                    state: {
                        ...inputs,
                        accountId: account,
                        alias,
                        arn: `arn:aws:s3::${account}:accesspoint/${alias}`,
                        domainName: `${alias}.accesspoint.s3-global.amazonaws.com`,
                        status: "READY",
                    },
                };
            }
            case "aws:cloudwatch/queryDefinition:QueryDefinition": {
                const queryDefinitionId = uuidOf(`${region}/${inputs.name}`);
                return { id: queryDefinitionId, state: { ...inputs, region, queryDefinitionId } };
            }
            default:
                return { id: `${args.name}-id`, state: { ...inputs, ...(args.custom && args.type.startsWith("aws:") ? { region } : {}) } };
        }
    }

    call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
        const account = this.accountOf(args.provider);
        switch (args.token) {
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return { accountId: account, arn: `arn:aws:iam::${account}:user/mock`, userId: "AIDAMOCKUSERID", id: account };
            case "aws:index/getPartition:getPartition":
                return { id: "aws", partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
            case "aws:index/getRegion:getRegion": {
                const region = this.regionOf(args.inputs ?? {}, args.provider);
                return { id: region, region, name: region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
            }
            default:
                // An invoke these mocks do not know is an error, not a silent empty answer.
                throw new Error(`mocks: unexpected invoke ${args.token}`);
        }
    }
}

type Callback = (err: unknown, response: any) => void;

/** The recorder of one mocked run. */
export class MockSession {
    private registrations: Registration[] = [];
    private readonly listeners = new Set<(registration: Registration) => void>();
    private readonly waitForRPCs: () => Promise<void> = require("@pulumi/pulumi/runtime/settings").waitForRPCs;

    constructor(readonly mocks: RealisticMocks) {}

    /** Forgets what was registered so far. */
    reset(): void {
        this.registrations = [];
    }

    record(registration: Registration): void {
        this.registrations.push(registration);
        this.listeners.forEach((listener) => listener(registration));
    }

    /**
     * Calls `listener` with each registration as the monitor answers it (as the engine sees resources
     * arrive during a run); returns the function that removes it.
     */
    onRegistration(listener: (registration: Registration) => void): () => void {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }

    /** Every registration so far, in the order the monitor answered them. */
    registered(): readonly Registration[] {
        return this.registrations;
    }

    /** Waits until every registration, invoke and apply the program started has finished. */
    settle(): Promise<void> {
        return this.waitForRPCs();
    }
}

/**
 * Installs the mocks (before the program module is imported) and wraps the mock monitor so that every
 * registration request is recorded.
 */
export function installMocks(options: MockOptions): MockSession {
    const mocks = new RealisticMocks(options);
    const session = new MockSession(mocks);
    // setMocks installs the mock monitor synchronously; its promise only flags features.
    void pulumi.runtime.setMocks(mocks, options.project, options.stack, false);
    // The monitor's answer to the program, on a later turn of the event loop when the engine's timing is wanted.
    const answer = (callback: Callback, err: unknown, response: any) => {
        if (options.answerAsynchronously) {
            setImmediate(() => callback(err, response));
        } else {
            callback(err, response);
        }
    };
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
                session.record({
                    type: req.getType(),
                    name: req.getName(),
                    urn: response.getUrn(),
                    custom: req.getCustom(),
                    protect: req.getProtect() === true,
                    parent: req.getParent(),
                    provider: req.getProvider(),
                    dependencies: req.getDependenciesList(),
                    propertyDependencies,
                    inputs,
                    outputs,
                    ignoreChanges: req.getIgnorechangesList(),
                    aliases: [
                        ...req.getAliasurnsList(),
                        ...req.getAliasesList().map((a: any) => aliasUrn(a, { name: req.getName(), type: req.getType(), parent: req.getParent() }, options.project, options.stack)),
                    ],
                    retainOnDelete: req.getRetainondelete() === true,
                });
            }
            answer(callback, err, response);
        });
        // MockMonitor.registerResource calls newResource before its first await: these are this request's.
        inputs = mocks.lastInputs;
        outputs = mocks.lastOutputs;
    };
    // A read (`Resource.get`) is recorded too, marked `read`: resources that depend on it name its URN.
    const readMonitor = monitor as unknown as { readResource(req: any, cb: Callback): void };
    const readResource = readMonitor.readResource.bind(monitor);
    readMonitor.readResource = (req: any, callback: Callback) => {
        let inputs: Record<string, any> = {};
        let outputs: Record<string, any> = {};
        readResource(req, (err: unknown, response: any) => {
            if (!err && response) {
                session.record({
                    type: req.getType(),
                    name: req.getName(),
                    urn: response.getUrn(),
                    custom: true,
                    protect: false,
                    parent: req.getParent(),
                    provider: req.getProvider(),
                    dependencies: req.getDependenciesList(),
                    propertyDependencies: {},
                    inputs,
                    outputs,
                    read: true,
                    id: req.getId(),
                });
            }
            answer(callback, err, response);
        });
        inputs = mocks.lastInputs;
        outputs = mocks.lastOutputs;
    };
    return session;
}

/**
 * Runs `fn` with stack capture off, and cheap. Pulumi records `new Error().stack` for every promise it
 * creates and the full call stack of every resource (for its source position); under ts-node every such
 * stack goes through source-map-support's formatter. That alone was most of the time a program took to
 * register its resources under mocks, where no one reads those stacks. V8's own formatter is restored for
 * the duration (Pulumi parses the frames either way), and the previous one afterwards.
 */
export async function withoutStackCapture<T>(fn: () => Promise<T>): Promise<T> {
    const error = Error as { stackTraceLimit: number; prepareStackTrace?: unknown };
    const saved = { limit: error.stackTraceLimit, prepare: error.prepareStackTrace };
    error.stackTraceLimit = 0;
    error.prepareStackTrace = undefined;
    try {
        return await fn();
    } finally {
        error.stackTraceLimit = saved.limit;
        error.prepareStackTrace = saved.prepare;
    }
}
