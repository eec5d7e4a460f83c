/**
 * The lab's CloudWatch Logs Insights query (section 3.3): every `PutObject` the trail recorded, with the
 * fields that tell an upload from a replication write (`invokedBy` is "AWS Internal" for the latter).
 * Written as one valid Insights command per stage; the lab's text spreads the `fields` list over piped
 * lines, which the console tolerates but which is not the documented syntax.
 */
export const PUT_OBJECT_EVENTS_QUERY = [
    "fields @timestamp, requestParameters.key as key, requestParameters.bucketName as bucket, " +
        "userIdentity.invokedBy as invokedBy, userIdentity.arn as arn, " +
        "userIdentity.sessionContext.sessionIssuer.userName as userName",
    "| filter eventName = 'PutObject'",
    "| sort @timestamp desc",
    "| limit 20",
].join("\n");

/**
 * The same query narrowed to object keys under `keyPrefix` (regex characters escaped), with a higher
 * limit: what `npm run verify --cloudtrail` runs to find its own test objects.
 */
export function putObjectEventsQueryFor(keyPrefix: string, limit = 1000): string {
    const escaped = keyPrefix.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    return PUT_OBJECT_EVENTS_QUERY.replace("| sort", `| filter key like /^${escaped}/\n| sort`).replace("| limit 20", `| limit ${limit}`);
}

/** Value of `userIdentity.invokedBy` on writes made by S3 replication. */
export const REPLICATION_INVOKED_BY = "AWS Internal";
