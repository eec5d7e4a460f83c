/**
 * The routing of a Multi-Region Access Point, read and changed through the data-plane route APIs: pure
 * functions for the new routes, and the calls that try each Region AWS serves those APIs from in turn.
 */
import {
    GetMultiRegionAccessPointRoutesCommand,
    MultiRegionAccessPointRoute,
    S3ControlClient,
    SubmitMultiRegionAccessPointRoutesCommand,
} from "@aws-sdk/client-s3-control";

import { MRAP_ROUTE_REGIONS } from "../../components/model/values";

/**
 * The only Regions that serve `GetMultiRegionAccessPointRoutes` and `SubmitMultiRegionAccessPointRoutes`,
 * in the order they are tried: the component's list, which also places its routes resource. These are
 * data-plane calls: a failover does not depend on the control plane of one Region, and a Region that fails
 * is followed by the next.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/MultiRegionAccessPointFailover.html
 */
export const ROUTE_API_REGIONS = MRAP_ROUTE_REGIONS;

/** A failover that cannot be made, with what to do (exit 2). */
export class FailoverError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "FailoverError";
    }
}

/** One route as shown and compared: a bucket, its region and its dial (0 passive, 100 active). */
export interface Route {
    readonly bucket: string;
    readonly region: string;
    readonly trafficDialPercentage: number;
}

/** The account of an access point ARN, `arn:<partition>:s3::<account>:accesspoint/<alias>`. */
export function accountOfArn(arn: string): string {
    const m = /^arn:aws[a-z-]*:s3::(\d{12}):accesspoint\/[a-z0-9]+\.mrap$/.exec(arn);
    if (!m) {
        throw new FailoverError(`'${arn}' is not a Multi-Region Access Point ARN (arn:aws:s3::<account>:accesspoint/<alias>.mrap)`);
    }
    return m[1];
}

/** The routes that make `to` the one active region and every other passive (pure). */
export function failoverRoutes(current: readonly Route[], to: string): Route[] {
    if (!current.some((r) => r.region === to)) {
        throw new FailoverError(`${to} is not a region of the access point; its regions: ${current.map((r) => r.region).join(", ")}`);
    }
    return current.map((r) => ({ ...r, trafficDialPercentage: r.region === to ? 100 : 0 }));
}

/** The regions with a non-zero dial. */
export const activeRegions = (routes: readonly Route[]): string[] => routes.filter((r) => r.trafficDialPercentage > 0).map((r) => r.region);

/** What a call through the route API regions did: its result, and each region that failed before it. */
export interface Attempted<T> {
    readonly result: T;
    /** The region that answered. */
    readonly region: string;
    /** Regions tried before it, with their errors. */
    readonly failures: readonly { readonly region: string; readonly error: string }[];
}

/** How long one route API region may take to answer before the next is tried (`--endpoint-timeout`). */
export const DEFAULT_ENDPOINT_TIMEOUT_MS = 10_000;

/** A missing credential, said once (as `npm run verify` and `npm run status` say it): no other region would help. */
function credentialsError(e: unknown, action: string): FailoverError | undefined {
    const err = e as { name?: string; message?: string };
    if (err?.name === "CredentialsProviderError" || /credential/i.test(err?.message ?? "")) {
        return new FailoverError(
            `no AWS credentials for ${action}: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, ` +
                "or run where an instance or SSO role is available (the standard credential chain).",
        );
    }
    return undefined;
}

/**
 * Calls `call` with a client of each route API region in turn until one answers. A region that does not
 * answer within `timeoutMs` is given up (its request aborted) and the next is tried, as is one that fails; a
 * missing credential ends the attempt at once with one line, since no region would answer otherwise.
 */
export async function inRouteRegions<T>(
    client: (region: string) => S3ControlClient,
    call: (c: S3ControlClient, abortSignal: AbortSignal) => Promise<T>,
    action: string,
    timeoutMs = DEFAULT_ENDPOINT_TIMEOUT_MS,
): Promise<Attempted<T>> {
    const failures: { region: string; error: string }[] = [];
    for (const region of ROUTE_API_REGIONS) {
        const abort = new AbortController();
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
                abort.abort();
                reject(Object.assign(new Error(`no answer within ${timeoutMs / 1000} s`), { name: "Timeout" }));
            }, timeoutMs);
        });
        try {
            return { result: await Promise.race([call(client(region), abort.signal), timedOut]), region, failures };
        } catch (e) {
            const credentials = credentialsError(e, action);
            if (credentials) {
                throw credentials;
            }
            failures.push({ region, error: `${(e as Error).name}: ${(e as Error).message}` });
        } finally {
            clearTimeout(timer);
        }
    }
    throw new FailoverError(`every Region serving the route APIs failed: ${failures.map((f) => `${f.region} (${f.error})`).join("; ")}`);
}

const toRoute = (r: MultiRegionAccessPointRoute): Route => ({ bucket: r.Bucket ?? "", region: r.Region ?? "", trafficDialPercentage: r.TrafficDialPercentage ?? 0 });

/** The access point's routes (`GetMultiRegionAccessPointRoutes`), each region given `timeoutMs`. */
export function getRoutes(client: (region: string) => S3ControlClient, arn: string, timeoutMs?: number): Promise<Attempted<Route[]>> {
    const accountId = accountOfArn(arn);
    return inRouteRegions(
        client,
        async (c, abortSignal) => {
            const out = await c.send(new GetMultiRegionAccessPointRoutesCommand({ AccountId: accountId, Mrap: arn }), { abortSignal });
            return (out.Routes ?? []).map(toRoute);
        },
        "GetMultiRegionAccessPointRoutes",
        timeoutMs,
    );
}

/** Submits `routes` (`SubmitMultiRegionAccessPointRoutes`); only the dials change. Submitting again is harmless. */
export function submitRoutes(client: (region: string) => S3ControlClient, arn: string, routes: readonly Route[], timeoutMs?: number): Promise<Attempted<void>> {
    const accountId = accountOfArn(arn);
    return inRouteRegions(
        client,
        async (c, abortSignal) => {
            await c.send(
                new SubmitMultiRegionAccessPointRoutesCommand({
                    AccountId: accountId,
                    Mrap: arn,
                    RouteUpdates: routes.map((r) => ({ Bucket: r.bucket, Region: r.region, TrafficDialPercentage: r.trafficDialPercentage })),
                }),
                { abortSignal },
            );
        },
        "SubmitMultiRegionAccessPointRoutes",
        timeoutMs,
    );
}

/** The routes as aligned text lines: region, bucket, dial, and active/passive. */
export function renderRoutes(routes: readonly Route[]): string[] {
    const width = Math.max(6, ...routes.map((r) => r.region.length));
    const bucketWidth = Math.max(6, ...routes.map((r) => r.bucket.length));
    return [
        `  ${"region".padEnd(width)}  ${"bucket".padEnd(bucketWidth)}  dial  state`,
        ...routes.map(
            (r) => `  ${r.region.padEnd(width)}  ${r.bucket.padEnd(bucketWidth)}  ${String(r.trafficDialPercentage).padStart(4)}  ${r.trafficDialPercentage > 0 ? "active" : "passive"}`,
        ),
    ];
}
