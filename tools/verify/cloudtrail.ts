/**
 * `--cloudtrail`: the lab's section 3.3. Runs its Logs Insights query over each region's trail log group
 * and reports, for every test object, the upload in the source region and the replication write in the
 * destination region (`userIdentity.invokedBy` = "AWS Internal"). CloudTrail takes minutes to deliver, so
 * the query is repeated until every event is there or the time is up.
 */
import { CloudWatchLogsClient, GetQueryResultsCommand, StartQueryCommand } from "@aws-sdk/client-cloudwatch-logs";
import { putObjectEventsQueryFor, REPLICATION_INVOKED_BY } from "../../components/documents/queries";
import { Clock, ObjectResult } from "./verifier";
import { plural } from "../text";

export interface LogEndpoint {
    readonly region: string;
    readonly logGroupName: string;
    readonly logs: CloudWatchLogsClient;
}

export interface PutEvent {
    readonly key: string;
    readonly bucket: string;
    readonly invokedBy?: string;
}

export interface CloudTrailFinding {
    readonly key: string;
    readonly direction: string;
    /** The upload's PutObject in the source region (not by replication). */
    readonly upload: boolean;
    /** The replica's PutObject in the destination region, invoked by "AWS Internal". */
    readonly replicationWrite: boolean;
}

/** Runs the query once over [from, now] in one region; the PutObject events found. */
export async function queryPutEvents(endpoint: LogEndpoint, keyPrefix: string, fromMs: number, clock: Clock): Promise<PutEvent[]> {
    const started = await endpoint.logs.send(
        new StartQueryCommand({
            logGroupName: endpoint.logGroupName,
            startTime: Math.floor(fromMs / 1000) - 60,
            endTime: Math.ceil(clock.now() / 1000) + 60,
            queryString: putObjectEventsQueryFor(keyPrefix),
        }),
    );
    for (;;) {
        const results = await endpoint.logs.send(new GetQueryResultsCommand({ queryId: started.queryId }));
        if (results.status === "Complete") {
            return (results.results ?? []).map((row) => {
                const field = (name: string) => row.find((f) => f.field === name)?.value;
                return { key: field("key") ?? "", bucket: field("bucket") ?? "", invokedBy: field("invokedBy") };
            });
        }
        if (results.status && ["Failed", "Cancelled", "Timeout", "Unknown"].includes(results.status)) {
            throw new Error(`Logs Insights query in ${endpoint.region} ended ${results.status}`);
        }
        await clock.sleep(1000);
    }
}

/** Matches the events to the objects: an upload at the source, an "AWS Internal" write at the destination. */
export function findings(objects: readonly ObjectResult[], eventsByBucket: ReadonlyMap<string, readonly PutEvent[]>): CloudTrailFinding[] {
    return objects.map((o) => {
        const at = (bucket: string) => (eventsByBucket.get(bucket) ?? []).filter((e) => e.key === o.key);
        return {
            key: o.key,
            direction: o.direction,
            upload: at(o.source).some((e) => e.invokedBy !== REPLICATION_INVOKED_BY),
            replicationWrite: at(o.destination).some((e) => e.invokedBy === REPLICATION_INVOKED_BY),
        };
    });
}

/**
 * Repeats the query in both regions until every object has both events or `timeoutMs` has passed.
 * `buckets` maps each log endpoint to the bucket whose trail writes there.
 */
export async function checkCloudTrail(
    endpoints: readonly (LogEndpoint & { readonly bucket: string })[],
    objects: readonly ObjectResult[],
    keyPrefix: string,
    fromMs: number,
    timeoutMs: number,
    clock: Clock,
    progress: (line: string) => void = () => undefined,
): Promise<CloudTrailFinding[]> {
    const deadline = clock.now() + timeoutMs;
    for (;;) {
        const eventsByBucket = new Map<string, PutEvent[]>();
        for (const endpoint of endpoints) {
            const events = await queryPutEvents(endpoint, keyPrefix, fromMs, clock);
            eventsByBucket.set(endpoint.bucket, events.filter((e) => e.bucket === endpoint.bucket));
        }
        const found = findings(objects, eventsByBucket);
        const complete = found.every((f) => f.upload && f.replicationWrite);
        if (complete || clock.now() >= deadline) {
            return found;
        }
        const have = found.filter((f) => f.upload && f.replicationWrite).length;
        progress(`CloudTrail: ${have}/${plural(found.length, "object")} with both events delivered; querying again in 30 s`);
        await clock.sleep(30_000);
    }
}
