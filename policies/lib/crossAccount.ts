/**
 * Cross-account replication, least privilege on the destination's side: a rule that writes into another
 * account names that account (S3 then checks the destination bucket's owner, so a bucket deleted and
 * re-created by someone else is not written to), and the destination bucket's policy grants the replication
 * roles that write into it exactly what replication needs, and no other principal anything but the account of
 * the stack's Multi-Region Access Point over it, through that account's access points only.
 */
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { accountOfArn } from "./iamEval";
import { asList, bucketNameFromArn, controlTags, isKind, label, modelOf, policyDocument, read, readKnown, statementsOf } from "./model";

/**
 * What a destination bucket policy may grant a replication role of another account (S3 User Guide): the
 * replication writes, the versioning checks, and the owner override of a rule that hands replicas to the
 * destination's owner.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
 */
export const CROSS_ACCOUNT_GRANTABLE = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", "s3:GetBucketVersioning", "s3:PutBucketVersioning", "s3:ObjectOwnerOverrideToBucketOwner"];
/**
 * The owner override is granted to the source bucket's account in AWS's own example ("Changing the replica
 * owner"): a statement granting only it may name the account of a replication role that writes here.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-change-owner.html
 */
export const OWNER_OVERRIDE_ACTIONS = ["s3:ObjectOwnerOverrideToBucketOwner"];

/** The account a resource's provider reaches when it assumes a role (the usual form for another account). */
function providerAccount(r: PolicyResource | undefined): string | undefined {
    const props = r?.provider?.props;
    if (!props) {
        return undefined;
    }
    const roles = read(() => props.assumeRoles);
    const parsed = typeof roles === "string" ? (JSON.parse(roles) as unknown) : roles;
    const first = Array.isArray(parsed) ? (parsed[0] as { roleArn?: unknown } | undefined) : undefined;
    return typeof first?.roleArn === "string" ? accountOfArn(first.roleArn) : undefined;
}

/** The role resource a configuration uses, and its ARN when known. */
function roleOf(config: PolicyResource): { role?: PolicyResource; arn?: string } {
    const role = (config.propertyDependencies.role ?? []).find((d) => isKind(d, "role"));
    const arn = read(() => config.props.role);
    return { role, arn: typeof arn === "string" ? arn : role ? (read(() => role.props.arn) as string | undefined) : undefined };
}

/**
 * The accounts of the stack's Multi-Region Access Points that span `bucket`: an access point reaches a bucket of
 * another account only through that bucket's policy (AWS, "Rules for choosing buckets for Multi-Region Access
 * Points"), so such a grant is expected there. The account is the access point's (its `accountId`), else that
 * of the role its provider assumes.
 */
function accessPointAccountsOver(model: ReturnType<typeof modelOf>, bucket: PolicyResource): Set<string> {
    const accounts = new Set<string>();
    for (const mrap of model.of("multiRegionAccessPoint")) {
        if (!model.bucketsReferenced(mrap, "details").includes(bucket)) {
            continue;
        }
        const account = (read(() => mrap.props.accountId) as string | undefined) ?? providerAccount(mrap);
        if (typeof account === "string") {
            accounts.add(account);
        }
    }
    return accounts;
}

/**
 * A statement that lets principals of an access point's account in through that account's access points
 * only (`s3:DataAccessPointAccount`, AWS's delegation example), each principal of that account.
 */
function isAccessPointGrant(s: { Condition?: unknown }, principals: readonly string[], accounts: Set<string>): boolean {
    const condition = (s.Condition as Record<string, Record<string, unknown>> | undefined)?.StringEquals?.["s3:DataAccessPointAccount"];
    const account = typeof condition === "string" ? condition : Array.isArray(condition) && condition.length === 1 ? condition[0] : undefined;
    return typeof account === "string" && accounts.has(account) && principals.length > 0 && principals.every((p) => accountOfArn(p) === account);
}

interface Inbound {
    readonly config: PolicyResource;
    readonly ruleId: string;
    readonly roleArn: string;
    readonly sourceAccount: string;
    readonly named?: string;
}

export const s3CrossAccountReplication: StackValidationPolicy = {
    name: "s3-cross-account-replication",
    description:
        "A replication rule whose destination is in another account names that account (destination.account), and the " +
        "destination bucket's policy grants only the replication roles that write into it, only the actions replication needs.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Set destination.account on every cross-account rule to the destination bucket's account; in the destination bucket's " +
        "policy allow exactly the source replication role s3:ReplicateObject, s3:ReplicateDelete, s3:ReplicateTags on " +
        "`<bucket-arn>/*` and s3:GetBucketVersioning, s3:PutBucketVersioning on the bucket (and, with an owner override, " +
        "s3:ObjectOwnerOverrideToBucketOwner on `<bucket-arn>/*`, to the role or its account), and nothing to other principals.",
    tags: controlTags({ checkov: ["CKV_AWS_70"], securityHub: ["S3.6"] }),
    validateStack: (args, reportViolation) => {
        const model = modelOf(args.resources);
        const inbound = new Map<PolicyResource, Inbound[]>();
        for (const config of model.of("replication")) {
            const { arn: roleArn } = roleOf(config);
            const sourceAccount = (roleArn ? accountOfArn(roleArn) : undefined) ?? providerAccount(config);
            const rules = readKnown(() => config.props.rules);
            if (!sourceAccount || !roleArn || !rules.known || !Array.isArray(rules.value)) {
                continue;
            }
            const destinations = model.bucketsReferenced(config, "rules");
            for (const rule of rules.value as any[]) {
                const target = read(() => rule.destination.bucket);
                const name = typeof target === "string" ? bucketNameFromArn(target) : undefined;
                const bucket = destinations.find((b) => model.bucketName(b) === name) ?? (destinations.length === 1 ? destinations[0] : undefined);
                const named = read(() => rule.destination.account) as string | undefined;
                const owner = providerAccount(bucket);
                const id = String(read(() => rule.id) ?? "?");
                if (!bucket || (owner ?? named ?? sourceAccount) === sourceAccount) {
                    continue;
                }
                if (named === undefined) {
                    reportViolation(
                        `${label(config)} rule '${id}' writes into ${label(bucket)} of account ${owner} without naming that account: ` +
                            "S3 cannot check the destination's owner, so a bucket of that name owned by someone else would receive the " +
                            `replicas. Fix: set destination.account to "${owner}".`,
                        config.urn,
                    );
                } else if (owner !== undefined && named !== owner) {
                    reportViolation(
                        `${label(config)} rule '${id}' names account ${named}, but ${label(bucket)} is created in account ${owner}: ` +
                            `S3 refuses to replicate into a bucket of another owner. Fix: set destination.account to "${owner}".`,
                        config.urn,
                    );
                }
                inbound.set(bucket, [...(inbound.get(bucket) ?? []), { config, ruleId: id, roleArn, sourceAccount, named }]);
            }
        }
        for (const [bucket, writers] of inbound) {
            const roles = new Set(writers.map((w) => w.roleArn));
            const accessPointAccounts = accessPointAccountsOver(model, bucket);
            // The writers' accounts, by id and by root ARN: allowed for a statement granting only the owner override.
            const accounts = new Set(writers.flatMap((w) => [w.sourceAccount, `${/^(arn:[^:]+):/.exec(w.roleArn)?.[1] ?? "arn:aws"}:iam::${w.sourceAccount}:root`]));
            for (const policy of model.configOf(bucket, "bucketPolicy")) {
                const doc = readKnown(() => policy.props.policy);
                if (!doc.known) {
                    continue;
                }
                for (const s of statementsOf(policyDocument(doc.value)).filter((st) => st.Effect === "Allow")) {
                    const principal = s.Principal as any;
                    const principals: string[] = principal === "*" ? ["*"] : asList(principal?.AWS);
                    if (isAccessPointGrant(s, principals, accessPointAccounts)) {
                        continue; // the stack's own Multi-Region Access Point over this bucket
                    }
                    const overrideOnly = asList(s.Action).length > 0 && asList(s.Action).every((a) => OWNER_OVERRIDE_ACTIONS.includes(a));
                    for (const p of principals.filter((x) => !roles.has(x) && !(overrideOnly && accounts.has(x)))) {
                        reportViolation(
                            `${label(policy)} of ${label(bucket)}, a cross-account replication destination, allows ${p} ` +
                                `${asList(s.Action).join(", ")}${s.Sid ? ` (statement '${s.Sid}')` : ""}: only the replication roles that write ` +
                                `into it (${[...roles].join(", ")}) should be granted anything. Fix: remove that principal from the statement.`,
                            policy.urn,
                        );
                    }
                    const extra = asList(s.Action).filter((a) => !CROSS_ACCOUNT_GRANTABLE.includes(a));
                    if (principals.some((x) => roles.has(x)) && extra.length > 0) {
                        reportViolation(
                            `${label(policy)} of ${label(bucket)} grants the replication role ${extra.join(", ")}${s.Sid ? ` (statement '${s.Sid}')` : ""}, ` +
                                `more than cross-account replication needs. Fix: grant only ${CROSS_ACCOUNT_GRANTABLE.join(", ")}.`,
                            policy.urn,
                        );
                    }
                }
            }
        }
    },
};
