/**
 * How the pack is served: by @pulumi/policy's analyzer server, with its `AnalyzeStack` building the stack's
 * resources once per request instead of once per stack policy, and the requests read by wire.ts.
 *
 * For every stack policy the SDK rebuilds every resource of the request (its properties deserialized and
 * wrapped in the unknown-checking proxy, its options, provider, parent and dependencies linked) and hands the
 * policy a fresh array: 17 builds of 6,400 resources at 100 pairs, most of the pack's time after a large
 * program, and the garbage they leave. A fresh array per policy also defeats the models the policies share
 * per array (`modelOf`, `replicationFindings`): each policy built its own.
 *
 * Here the request's resources are built once, by the SDK's own code (its exported AnalyzeStack handler,
 * run with a single policy that keeps what it is given), and every stack policy receives that one array.
 * Everything else, enforcement levels, configuration, not-applicable answers, unknown values during a
 * preview and the response, stays the SDK's: its handler runs as usual, over a request whose resource list
 * is empty, and {@link sharingStackResources} hands each stack policy the shared array instead of the
 * empty one. The server decodes `Analyze` and `AnalyzeStack` requests with wire.ts instead of the generated
 * classes, and the resources' properties are deserialized when a policy first reads them (props.ts); those
 * files say why. tests/policies/serve.spec.ts pins what this relies on in @pulumi/policy 1.21.0;
 * wire.spec.ts and props.spec.ts hold the reading and the properties to the SDK's own.
 */
import { AsyncLocalStorage } from "async_hooks";
import type * as Http2 from "http2";
import * as path from "path";
import { Policies, PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { LazyProperties, lazyPropertiesProxy } from "./props";
import { AnalyzeStackRequestView, lazyAnalyzeRequest, StructView } from "./wire";

// The module itself, not a namespace copy of it (which `import *` makes): its createServer is replaced.
const http2 = require("http2") as typeof Http2;
// The modules @pulumi/policy's server itself loads (its gRPC library, its handlers).
const sdkDir = path.dirname(require.resolve("@pulumi/policy/server"));
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [sdkDir] })) as { Server: { prototype: { addService: AddService } } };
const sdkServer = require("@pulumi/policy/server") as { makeAnalyzeStackRpcFun: MakeHandler };
const sdkDeserialize = require("@pulumi/policy/deserialize") as { deserializeProperties: Deserialize };
const sdkProxy = require("@pulumi/policy/proxy") as { unknownCheckingProxy: (value: unknown) => unknown };

type Callback = (err: unknown, response?: unknown) => void;
type Handler = (call: { request: any }, callback: Callback) => void;
type MakeHandler = (packName: string, version: string, level: string, policies: Policies) => Handler;
type Deserialize = (struct: unknown, proxySecrets: boolean) => unknown;
type AddService = (this: unknown, service: object, implementation: Record<string, Handler>) => void;

const ANALYZE = "/pulumirpc.Analyzer/Analyze";
const ANALYZE_STACK = "/pulumirpc.Analyzer/AnalyzeStack";

/** The resources of the `AnalyzeStack` request being answered, for the stack policies it runs. */
const current = new AsyncLocalStorage<PolicyResource[]>();

/**
 * The policies, their stack validations reading the resources built once for the request being answered
 * (outside the served pack, as in the unit tests, they read their arguments' own resources).
 */
export function sharingStackResources(policies: Policies): Policies {
    return policies.map((policy) => {
        const stack = policy as StackValidationPolicy;
        if (typeof stack.validateStack !== "function") {
            return policy;
        }
        const validateStack = stack.validateStack;
        return {
            ...stack,
            validateStack: (args, reportViolation) => validateStack({ ...args, resources: current.getStore() ?? args.resources }, reportViolation),
        };
    });
}

/**
 * The SDK's `PolicyResource` objects for an `AnalyzeStack` request, built by its own handler run with one
 * stack policy that keeps the resources it is given. `packName` and `version` name the pack in the SDK's
 * error messages, should the build fail.
 */
function buildResources(request: unknown, packName: string, version: string): Promise<PolicyResource[]> {
    let built: PolicyResource[] | undefined;
    const build = sdkServer.makeAnalyzeStackRpcFun(packName, version, "advisory", [
        {
            name: "resources-of-the-stack",
            description: "Not a policy: builds the stack's resources once for every stack policy.",
            enforcementLevel: "advisory",
            validateStack: (args) => {
                built = args.resources;
            },
        },
    ]);
    return new Promise((resolve, reject) =>
        build({ request }, (err) => (err ? reject(err) : built ? resolve(built) : reject(new Error("AnalyzeStack: the SDK built no resources")))),
    );
}

/**
 * The SDK's `AnalyzeStack` handler `sdkHandler`, answering over resources built once per request (see the
 * file's comment).
 */
export function sharedAnalyzeStack(sdkHandler: Handler, packName: string, version: string): Handler {
    return (call, callback) => {
        buildResources(call.request, packName, version).then(
            (resources) => {
                // The SDK's handler reads the request's resources only through getResourcesList().
                const request = Object.create(call.request, { getResourcesList: { value: () => [] } });
                current.run(resources, () => sdkHandler(Object.create(call, { request: { value: request } }), callback));
            },
            (err) => callback(err),
        );
    };
}

const deserializeEagerly = sdkDeserialize.deserializeProperties;
const proxyEagerly = sdkProxy.unknownCheckingProxy;

/** The key by which Pulumi marks an asset, an archive or a secret in serialized properties. */
const SIGNATURE_KEY = (require("@pulumi/pulumi/runtime/rpc") as { specialSigKey: string }).specialSigKey;

/** Whether a plain value holds an asset, an archive or a secret (an object with a signature, at any depth). */
function holdsSignature(value: unknown): boolean {
    if (Array.isArray(value)) {
        return value.some(holdsSignature);
    }
    if (value !== null && typeof value === "object") {
        return Boolean((value as Record<string, unknown>)[SIGNATURE_KEY]) || Object.values(value).some(holdsSignature);
    }
    return false;
}

/**
 * A resource's properties as the SDK's `deserializeProperties` gives them. That function copies the plain
 * value, turning signed objects into assets, archives and unwrapped secrets: a value without any is its own
 * copy, and is kept as read.
 */
function deserializeStruct(source: unknown): Record<string, unknown> {
    const struct = source as StructView;
    const value = struct.toJavaScript();
    return holdsSignature(value) ? (deserializeEagerly(struct, false) as Record<string, unknown>) : value;
}

/**
 * Has the SDK's server, as it builds the resources of an AnalyzeStack request read by wire.ts, leave their
 * properties (and their providers') to be deserialized when a policy first reads them (props.ts says why):
 * its `deserializeProperties` gives a {@link StructView} back as {@link LazyProperties}, and its
 * `unknownCheckingProxy` wraps those in {@link lazyPropertiesProxy}. Everything else they do as before.
 */
export function deserializeLazily(): void {
    sdkDeserialize.deserializeProperties = (struct, proxySecrets) =>
        struct instanceof StructView && !proxySecrets ? new LazyProperties(struct, deserializeStruct) : deserializeEagerly(struct, proxySecrets);
    sdkProxy.unknownCheckingProxy = (value) => (value instanceof LazyProperties ? lazyPropertiesProxy(value) : proxyEagerly(value));
}

/** HTTP/2 flow-control windows of the pack's server: room for the largest AnalyzeStack request in flight. */
export const RECEIVE_WINDOW = 64 * 1024 * 1024;

/**
 * Has every HTTP/2 server of this process (the pack's: the SDK's gRPC server is its only one) receive with
 * windows of {@link RECEIVE_WINDOW} instead of HTTP/2's initial 64 KiB, per stream and per connection. With
 * 64 KiB a sender waits for a window update every 64 KiB: 135 round trips between the engine and the pack
 * for the 9 MB AnalyzeStack request of 100 pairs, about 90 ms. grpc-js has no server option for it; Node's
 * `settings.initialWindowSize` (per stream) and `Http2Session.setLocalWindowSize` (per connection) do it.
 */
export function receiveInLargeWindows(): void {
    if ((http2.createServer as { largeWindows?: true }).largeWindows) {
        return;
    }
    const createServer = http2.createServer;
    const withLargeWindows = (options?: Http2.ServerOptions, listener?: (req: Http2.Http2ServerRequest, res: Http2.Http2ServerResponse) => void) => {
        const server = createServer({ ...options, settings: { ...options?.settings, initialWindowSize: RECEIVE_WINDOW } }, listener);
        server.on("session", (session: Http2.ServerHttp2Session) => session.setLocalWindowSize(RECEIVE_WINDOW));
        return server;
    };
    (http2 as { createServer: unknown }).createServer = Object.assign(withLargeWindows, { largeWindows: true as const });
}

/** A method of a gRPC service definition, as the generated `*_grpc_pb` modules give it. */
interface MethodDefinition {
    readonly path: string;
    readonly requestDeserialize: (bytes: Buffer) => unknown;
}

/**
 * Runs `serve` (which constructs the pack, and with it the SDK's gRPC server) with the server's Analyzer
 * service changed as the file's comment says: `AnalyzeStack` answered by {@link sharedAnalyzeStack} over
 * the request as wire.ts reads it, `Analyze` requests decoded lazily; and the process's HTTP/2 servers
 * receiving in large windows ({@link receiveInLargeWindows}). `packName` and `version` are the pack's.
 */
export function withPackServer<T>(packName: string, version: string, serve: () => T): T {
    deserializeLazily();
    receiveInLargeWindows();
    const addService = grpc.Server.prototype.addService;
    grpc.Server.prototype.addService = function (service, implementation) {
        const methods = service as Record<string, MethodDefinition>;
        const nameOf = (path: string) => Object.keys(methods).find((k) => methods[k].path === path);
        const stack = nameOf(ANALYZE_STACK);
        const analyze = nameOf(ANALYZE);
        if (stack === undefined || analyze === undefined) {
            return addService.call(this, service, implementation);
        }
        return addService.call(
            this,
            {
                ...methods,
                [analyze]: { ...methods[analyze], requestDeserialize: lazyAnalyzeRequest },
                [stack]: { ...methods[stack], requestDeserialize: (bytes: Buffer) => new AnalyzeStackRequestView(bytes) },
            },
            { ...implementation, [stack]: sharedAnalyzeStack(implementation[stack], packName, version) },
        );
    };
    try {
        return serve();
    } finally {
        grpc.Server.prototype.addService = addService;
    }
}
