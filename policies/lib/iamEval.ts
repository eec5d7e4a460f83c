/**
 * A small, pure evaluator of IAM policy statements, for the question the replication policies ask: does
 * this set of documents let a principal perform one action on one resource, or on every resource of a
 * family (every object of a bucket, every object under a prefix)?
 *
 * {@link evaluate} answers for one set of statements (one policy type): an explicit `Deny` wins over any
 * `Allow`; with no matching `Allow` the request is implicitly denied. `Action`/`NotAction` match
 * case-insensitively, `Resource`/`NotResource` case-sensitively; both accept the `*` and `?` wildcards.
 * Principals are matched for resource policies (bucket policies, key policies, trust policies) only.
 * {@link authorize} combines the policy types as IAM does: identity policies, the permissions boundary, and
 * the resource's own policy (a bucket policy, or a key policy, which KMS requires to allow), within one
 * account or across two.
 *
 * Without a request context, conditions are not evaluated, and that is a choice per effect:
 * - an `Allow` with a condition counts as allowing;
 * - a `Deny` with a condition is reported as `conditional`: it may or may not apply, so the caller cannot
 *   prove the request allowed. The one exception is the TLS guard (`aws:SecureTransport` = false).
 *
 * With a request context (`Request.context`: the condition keys the request carries and their values),
 * conditions are evaluated as IAM does (see {@link conditionReach}): an Allow counts only when its condition
 * holds, a Deny applies when its condition holds. A key's value may be a family (every object ARN under a
 * prefix: `kms:EncryptionContext:aws:s3:arn` of every object a rule replicates), for which a condition
 * holds for all, some or none of the family. Keys the request may carry but whose values are not known
 * (`Request.unknownKeys`) make a condition on them unknown: such an Allow never counts as allowing
 * (`conditionalAllow`) and such a Deny may apply (`conditionalDeny`).
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
import { asList, Statement } from "./model";

/** A resource asked about: one ARN, or every ARN that starts with `prefix` (an object family). */
export type ResourceRef = { readonly exact: string } | { readonly prefix: string };

/** A condition key's value: one string, several (a multivalued key), or every string starting with `prefix`. */
export type ContextValue = string | readonly string[] | { readonly prefix: string };

/** The condition keys a request carries (`iam:PassedToService`, `aws:ResourceTag/Stack`, ...), single- or multivalued. */
export type RequestContext = Readonly<Record<string, ContextValue>>;

export interface Request {
    readonly action: string;
    readonly resource: ResourceRef;
    /** For resource policies: the principal's ARN (a role ARN); its account root is derived from it. */
    readonly principal?: string;
    /** For resource policies: the request comes from this service principal (`s3.amazonaws.com`), not from an ARN. */
    readonly service?: string;
    /**
     * Which principal entries count (resource policies): the principal itself (its ARN, or `*`), its account
     * (the account id or root ARN), or either (the default).
     */
    readonly principalMatch?: "principal" | "account" | "either";
    /** Given: conditions are evaluated against these keys (a key not here is absent from the request). */
    readonly context?: RequestContext;
    /**
     * Keys not in `context` that the request may carry with a value the plan cannot know: a condition on one
     * is unknown. Default: none (a key not in the context is absent).
     */
    readonly unknownKeys?: (key: string) => boolean;
}

/** A condition key that failed for the request: what the statement wanted, what the request carries. */
export interface FailedKey {
    readonly operator: string;
    readonly key: string;
    readonly expected: readonly string[];
    /** The request's value; undefined when the request does not carry the key. */
    readonly actual: ContextValue | undefined;
}

export type Decision =
    | { readonly effect: "allow"; readonly by: Statement; readonly conditional: boolean }
    | { readonly effect: "deny"; readonly by: Statement }
    /** A Deny that may apply: its condition is not evaluated (no context), or turns on keys the plan cannot know. */
    | { readonly effect: "conditionalDeny"; readonly by: Statement; readonly keys?: readonly string[] }
    /** No Allow that surely applies, but one whose condition turns on keys the plan cannot know. */
    | { readonly effect: "conditionalAllow"; readonly by: Statement; readonly keys: readonly string[] }
    /** No Allow applies; `nearMiss` is an Allow that would, but for its condition. */
    | { readonly effect: "implicitDeny"; readonly nearMiss?: { readonly by: Statement; readonly failed: readonly FailedKey[] } };

/** Glob match with IAM's `*` (any run of characters) and `?` (one character). */
export function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
    const p = ignoreCase ? pattern.toLowerCase() : pattern;
    const v = ignoreCase ? value.toLowerCase() : value;
    // Iterative matcher with backtracking to the last `*` (linear for the patterns IAM documents hold).
    let pi = 0;
    let vi = 0;
    let star = -1;
    let mark = 0;
    while (vi < v.length) {
        if (pi < p.length && (p[pi] === "?" || p[pi] === v[vi])) {
            pi++;
            vi++;
        } else if (pi < p.length && p[pi] === "*") {
            star = pi++;
            mark = vi;
        } else if (star >= 0) {
            pi = star + 1;
            vi = ++mark;
        } else {
            return false;
        }
    }
    while (pi < p.length && p[pi] === "*") {
        pi++;
    }
    return pi === p.length;
}

/**
 * True when `pattern` matches every string that starts with `prefix`: the pattern ends in `*` and what
 * comes before that star matches some leading part of `prefix` (the star then absorbs the rest). That is
 * the whole pattern matching `prefix` itself: the final star takes what the head leaves of it.
 */
export function coversAll(pattern: string, prefix: string): boolean {
    return pattern.endsWith("*") && globMatch(pattern, prefix);
}

/** True when `pattern` matches at least one string that starts with `prefix`. */
export function matchesSome(pattern: string, prefix: string): boolean {
    // The pattern positions reachable after reading each character of `prefix` (a `*` matches nothing or one
    // more character; `?` any one). Once `prefix` is read, what is left of the pattern matches an extension.
    let states = new Uint8Array(pattern.length + 1);
    let next = new Uint8Array(pattern.length + 1);
    const closeOverStars = (at: Uint8Array) => {
        for (let pi = 0; pi < pattern.length; pi++) {
            if (at[pi] && pattern[pi] === "*") {
                at[pi + 1] = 1;
            }
        }
    };
    states[0] = 1;
    closeOverStars(states);
    for (let vi = 0; vi < prefix.length; vi++) {
        next.fill(0);
        let any = false;
        for (let pi = 0; pi < pattern.length; pi++) {
            if (!states[pi]) {
                continue;
            }
            const c = pattern[pi];
            if (c === "*") {
                next[pi] = 1;
                any = true;
            } else if (c === "?" || c === prefix[vi]) {
                next[pi + 1] = 1;
                any = true;
            }
        }
        if (!any) {
            return false;
        }
        closeOverStars(next);
        [states, next] = [next, states];
    }
    return true;
}

/** How a statement's resource patterns relate to the request's resource: all of it, part of it, or none. */
export type Reach = "all" | "some" | "none";

function reachOf(patterns: readonly string[], resource: ResourceRef): Reach {
    if ("exact" in resource) {
        return patterns.some((p) => globMatch(p, resource.exact)) ? "all" : "none";
    }
    if (patterns.some((p) => coversAll(p, resource.prefix))) {
        return "all";
    }
    return patterns.some((p) => matchesSome(p, resource.prefix)) ? "some" : "none";
}

function resourceReach(s: Statement, resource: ResourceRef): Reach {
    if (s.NotResource !== undefined) {
        // The statement applies to what its NotResource patterns do not match.
        const excluded = reachOf(asList(s.NotResource as string | string[]), resource);
        return excluded === "all" ? "none" : excluded === "some" ? "some" : "all";
    }
    if (s.Resource === undefined) {
        // A resource policy statement may omit Resource only in trust policies; treat it as "this resource".
        return "all";
    }
    return reachOf(asList(s.Resource), resource);
}

export function actionMatches(s: Statement, action: string): boolean {
    if (s.NotAction !== undefined) {
        return !asList(s.NotAction).some((p) => globMatch(p, action, true));
    }
    return asList(s.Action).some((p) => globMatch(p, action, true));
}


/** The account id of an IAM ARN (`arn:aws:iam::123456789012:role/x` → `123456789012`). */
export function accountOfArn(arn: string): string | undefined {
    return /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(arn)?.[1];
}

/** True when a resource policy statement's principal names the request's principal (see {@link Request.principalMatch}). */
function principalMatches(s: Statement, request: Request): boolean {
    const { principal, service } = request;
    if (principal === undefined && service === undefined) {
        return true; // an identity policy: the statement is the principal's own
    }
    const mode = request.principalMatch ?? "either";
    const account = principal !== undefined ? accountOfArn(principal) : undefined;
    const partition = /^arn:([^:]+):/.exec(principal ?? "")?.[1] ?? "aws";
    const names = (p: unknown): boolean => {
        if (p === "*") {
            return mode !== "account";
        }
        const entries = p as { AWS?: string | string[]; Service?: string | string[] } | undefined;
        if (service !== undefined) {
            return asList(entries?.Service).includes(service) || asList(entries?.AWS).includes("*");
        }
        return asList(entries?.AWS).some((id) => {
            const itself = id === "*" || id === principal;
            const itsAccount = account !== undefined && (id === account || id === `arn:${partition}:iam::${account}:root`);
            return mode === "principal" ? itself : mode === "account" ? itsAccount : itself || itsAccount;
        });
    };
    if (s.NotPrincipal !== undefined) {
        return !names(s.NotPrincipal);
    }
    return names(s.Principal);
}

const hasCondition = (s: Statement) => s.Condition !== undefined && Object.keys(s.Condition).length > 0;

/** A Deny that only guards against plain HTTP: S3's own replication requests never match it. */
function isTlsGuard(s: Statement): boolean {
    const entries = Object.entries(s.Condition ?? {});
    return (
        entries.length === 1 &&
        entries[0][0] === "Bool" &&
        Object.keys(entries[0][1]).length === 1 &&
        asList(entries[0][1]["aws:SecureTransport"] as string | string[]).map(String).join() === "false"
    );
}

/** How one context value relates to one policy value, per operator family: for a family of values, all/some/none of them. */
interface Operator {
    readonly negated: boolean;
    readonly match: (value: string, pattern: string) => boolean;
    /** For a family (every string starting with `prefix`): does the pattern match all of it, some of it? */
    readonly family: (prefix: string, pattern: string) => Reach;
}

const exact = (ignoreCase: boolean): Operator["family"] => (prefix, pattern) => {
    const [p, v] = ignoreCase ? [pattern.toLowerCase(), prefix.toLowerCase()] : [pattern, prefix];
    return p.startsWith(v) ? "some" : "none";
};
const like: Operator["family"] = (prefix, pattern) => (coversAll(pattern, prefix) ? "all" : matchesSome(pattern, prefix) ? "some" : "none");

/** The operators {@link conditionReach} knows, by how they compare one context value with one policy value. */
const OPERATORS: Readonly<Record<string, Operator>> = {
    StringEquals: { negated: false, match: (v, p) => v === p, family: exact(false) },
    StringNotEquals: { negated: true, match: (v, p) => v === p, family: exact(false) },
    StringEqualsIgnoreCase: { negated: false, match: (v, p) => v.toLowerCase() === p.toLowerCase(), family: exact(true) },
    StringNotEqualsIgnoreCase: { negated: true, match: (v, p) => v.toLowerCase() === p.toLowerCase(), family: exact(true) },
    StringLike: { negated: false, match: (v, p) => globMatch(p, v), family: like },
    StringNotLike: { negated: true, match: (v, p) => globMatch(p, v), family: like },
    ArnEquals: { negated: false, match: (v, p) => v === p, family: exact(false) },
    ArnNotEquals: { negated: true, match: (v, p) => v === p, family: exact(false) },
    ArnLike: { negated: false, match: (v, p) => globMatch(p, v), family: like },
    ArnNotLike: { negated: true, match: (v, p) => globMatch(p, v), family: like },
    Bool: { negated: false, match: (v, p) => v.toLowerCase() === p.toLowerCase(), family: exact(true) },
};

/** The context's value of `key` (condition key names are case-insensitive), or undefined when absent. */
function contextValue(context: RequestContext, key: string): ContextValue | undefined {
    const found = Object.keys(context).find((k) => k.toLowerCase() === key.toLowerCase());
    return found === undefined ? undefined : context[found];
}

const isFamily = (v: ContextValue | undefined): v is { readonly prefix: string } => typeof v === "object" && v !== null && !Array.isArray(v);

/** What {@link conditionReach} finds. */
export interface ConditionResult {
    /** For all of the request (or of its family of values), some of it, none; unknown when it turns on a key the plan cannot know. */
    readonly holds: Reach | "unknown";
    /** The keys whose values are unknown that the result turned on. */
    readonly unknownKeys: readonly string[];
    /** The keys that failed, for messages. */
    readonly failed: readonly FailedKey[];
}

/** One key's result under one operator. */
function keyReach(rawOperator: string, key: string, expected: unknown, request: Pick<Request, "context" | "unknownKeys">): Reach | "unknown" {
    const set = /^(ForAnyValue|ForAllValues):/.exec(rawOperator)?.[1];
    const withoutSet = set ? rawOperator.slice(set.length + 1) : rawOperator;
    const ifExists = withoutSet.endsWith("IfExists");
    const name = ifExists ? withoutSet.slice(0, -"IfExists".length) : withoutSet;
    const patterns = asList(expected as string | string[]).map(String);
    const value = contextValue(request.context ?? {}, key);
    if (value === undefined && request.unknownKeys?.(key)) {
        return "unknown";
    }
    const asReach = (b: boolean): Reach => (b ? "all" : "none");
    const absent = value === undefined || (Array.isArray(value) && value.length === 0);
    if (name === "Null") {
        return asReach(absent === (patterns[0]?.toLowerCase() === "true"));
    }
    const operator = OPERATORS[name];
    if (operator === undefined) {
        throw new Error(`conditionHolds: unsupported condition operator ${rawOperator}`);
    }
    if (absent) {
        // Absent: ForAllValues holds (nothing fails it), ForAnyValue does not (nothing matches), a negated
        // operator holds, a positive one fails; IfExists holds either way.
        return asReach(ifExists || set === "ForAllValues" || (operator.negated && set === undefined));
    }
    if (isFamily(value)) {
        // Every string starting with the prefix: the patterns together match all of it, some, or none (a
        // pattern covering all of it is looked for one at a time: a union covering it otherwise is not found).
        const reaches = patterns.map((p) => operator.family(value.prefix, p));
        const matchesAll = reaches.includes("all");
        const matchesSomeOf = matchesAll || reaches.includes("some");
        if (!operator.negated) {
            return matchesAll ? "all" : matchesSomeOf ? "some" : "none";
        }
        return matchesAll ? "none" : matchesSomeOf ? "some" : "all";
    }
    const values = typeof value === "string" ? [value] : (value as readonly string[]);
    // One request value against the policy's values: any match (positive), no match (negated).
    const one = (v: string) => (operator.negated ? !patterns.some((p) => operator.match(v, p)) : patterns.some((p) => operator.match(v, p)));
    return asReach(set === "ForAllValues" ? values.every(one) : operator.negated && set === undefined ? values.every(one) : values.some(one));
}

/**
 * Whether a statement's `Condition` holds for a request, as IAM evaluates it: every operator block and every
 * key in it must hold (AND); a key holds when the request's value matches any of the policy's values (OR),
 * or, under a negated operator (`StringNotEquals`, `ArnNotLike`, ...), matches none of them. A key absent
 * from the request fails a positive operator and satisfies a negated one; `...IfExists` satisfies either;
 * `Null: true` holds exactly when it is absent. With a multivalued key, `ForAnyValue:` needs one of the
 * request's values to match (and fails when the key is absent, negated or not), `ForAllValues:` every one
 * (and holds when the key is absent). A key in `unknownKeys` makes its part unknown; a false part makes the
 * whole false whatever else is unknown. An operator not listed here throws on a key whose value is known:
 * an unknown operator must not pass silently.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 */
export function conditionReach(condition: Statement["Condition"], request: Pick<Request, "context" | "unknownKeys">): ConditionResult {
    let holds = "all" as Reach;
    const unknownKeys: string[] = [];
    const failed: FailedKey[] = [];
    for (const [operator, keys] of Object.entries(condition ?? {})) {
        for (const [key, expected] of Object.entries(keys)) {
            const r = keyReach(operator, key, expected, request);
            if (r === "unknown") {
                unknownKeys.push(key);
                continue;
            }
            if (r !== "all") {
                failed.push({ operator, key, expected: asList(expected as string | string[]).map(String), actual: contextValue(request.context ?? {}, key) });
            }
            holds = r === "none" || holds === "none" ? "none" : r === "some" || holds === "some" ? "some" : "all";
        }
    }
    return { holds: holds !== "none" && unknownKeys.length > 0 ? "unknown" : holds, unknownKeys, failed };
}

/** {@link conditionReach} for a context of known values only: true when the condition holds for all of the request. */
export function conditionHolds(condition: Statement["Condition"], context: RequestContext): boolean {
    return conditionReach(condition, { context }).holds === "all";
}

/** What both a statement's resources and its condition reach: all when both do, none when either does not. */
const both = (a: Reach, b: Reach): Reach => (a === "none" || b === "none" ? "none" : a === "all" && b === "all" ? "all" : "some");

/**
 * IAM's decision for `request` over `statements` (the union of every policy of one type that applies). A Deny
 * that reaches any part of the resource family denies the request; an Allow must reach all of it.
 */
export function evaluate(statements: readonly Statement[], request: Request): Decision {
    let allow: Decision | undefined;
    let conditionalDeny: Decision | undefined;
    let conditionalAllow: Decision | undefined;
    let nearMiss: { by: Statement; failed: readonly FailedKey[] } | undefined;
    for (const s of statements) {
        if (!actionMatches(s, request.action) || !principalMatches(s, request)) {
            continue;
        }
        const reach = resourceReach(s, request.resource);
        if (request.context !== undefined && hasCondition(s)) {
            // Conditions evaluated: a statement applies where both its resources and its condition reach.
            const c = conditionReach(s.Condition, request);
            if (c.holds === "unknown") {
                if (s.Effect === "Deny" && reach !== "none") {
                    conditionalDeny ??= { effect: "conditionalDeny", by: s, keys: c.unknownKeys };
                } else if (s.Effect === "Allow" && reach === "all") {
                    conditionalAllow ??= { effect: "conditionalAllow", by: s, keys: c.unknownKeys };
                }
                continue;
            }
            const applies = both(reach, c.holds);
            if (s.Effect === "Deny" && applies !== "none") {
                return { effect: "deny", by: s };
            }
            if (s.Effect === "Allow" && applies === "all") {
                allow ??= { effect: "allow", by: s, conditional: true };
            } else if (s.Effect === "Allow" && reach === "all") {
                nearMiss ??= { by: s, failed: c.failed };
            }
            continue;
        }
        if (s.Effect === "Deny" && reach !== "none") {
            if (!hasCondition(s)) {
                return { effect: "deny", by: s };
            }
            if (!isTlsGuard(s)) {
                conditionalDeny ??= { effect: "conditionalDeny", by: s };
            }
        } else if (s.Effect === "Allow" && reach === "all") {
            // Prefer an unconditional Allow as the one to cite.
            if (allow === undefined || (allow.effect === "allow" && allow.conditional && !hasCondition(s))) {
                allow = { effect: "allow", by: s, conditional: hasCondition(s) };
            }
        }
    }
    return conditionalDeny ?? allow ?? conditionalAllow ?? (nearMiss ? { effect: "implicitDeny", nearMiss } : { effect: "implicitDeny" });
}

/** The policy types {@link authorize} combines. */
export type PolicyType = "identity" | "boundary" | "resource";

/** The documents that decide one request, and whose they are. */
export interface Access {
    /** The principal's identity policies (inline and attached), all of them. */
    readonly identity: readonly Statement[];
    /** The principal's permissions boundary; undefined when it has none (or it cannot be seen). */
    readonly boundary?: readonly Statement[];
    /**
     * The resource's policy: a bucket policy (undefined when the bucket has none), or a key policy, which KMS
     * requires to allow the request itself or through its account-root statement.
     */
    readonly resource?: { readonly kind: "bucket" | "key"; readonly statements: readonly Statement[] };
    /** The principal's ARN (a role) and the account that owns the resource. */
    readonly principal: string;
    readonly resourceAccount: string;
}

/** {@link authorize}'s answer, with the policy type that decided it. */
export type Verdict =
    | { readonly result: "allowed" }
    | { readonly result: "denied"; readonly where: PolicyType; readonly by: Statement }
    /** No Allow where one is needed: `where` is the policy type that lacks it. */
    | { readonly result: "notAllowed"; readonly where: PolicyType; readonly nearMiss?: { readonly by: Statement; readonly failed: readonly FailedKey[] } }
    /** Allowed only if a condition on keys the plan cannot know holds (an Allow), or fails (a Deny). */
    | { readonly result: "unproven"; readonly where: PolicyType; readonly by: Statement; readonly keys: readonly string[]; readonly deny: boolean };

type Grant =
    | { readonly v: "yes" }
    | { readonly v: "maybe"; readonly where: PolicyType; readonly by: Statement; readonly keys: readonly string[] }
    | { readonly v: "no"; readonly where: PolicyType; readonly nearMiss?: { readonly by: Statement; readonly failed: readonly FailedKey[] } };

function grantOf(d: Decision, where: PolicyType): Grant {
    if (d.effect === "allow") {
        return { v: "yes" };
    }
    if (d.effect === "conditionalAllow") {
        return { v: "maybe", where, by: d.by, keys: d.keys };
    }
    return { v: "no", where, ...(d.effect === "implicitDeny" && d.nearMiss ? { nearMiss: d.nearMiss } : {}) };
}
const anyOf = (a: Grant, b: Grant): Grant => (a.v === "yes" || b.v === "yes" ? { v: "yes" } : a.v === "maybe" ? a : b.v === "maybe" ? b : a);
const allOf = (a: Grant, b: Grant): Grant => (a.v === "no" ? a : b.v === "no" ? b : a.v === "maybe" ? a : b);

/**
 * IAM's decision for a role's request to a resource, over every policy type that applies (the policy
 * evaluation logic, within one account and across accounts):
 * - an explicit Deny in any of them denies;
 * - a permissions boundary must allow (it limits identity policies, and a same-account resource policy
 *   that names the role ARN);
 * - within one account, an identity policy or a resource policy naming the role allows; a resource policy
 *   naming only the account delegates to the identity policies;
 * - across accounts, both the identity policies and the resource policy (naming the role or its account)
 *   must allow;
 * - a key policy must allow in any case: naming the role (or `*`) itself, or the account (the account-root
 *   statement), which lets the identity policies of that account count. No key policy statement, no access.
 * Denies and Allows whose conditions turn on keys the plan cannot know make the answer "unproven", never
 * "allowed".
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
 */
export function authorize(access: Access, request: Omit<Request, "principal" | "service" | "principalMatch">): Verdict {
    const identity = evaluate(access.identity, request);
    const boundary = access.boundary ? evaluate(access.boundary, request) : undefined;
    const resource = access.resource ? evaluate(access.resource.statements, { ...request, principal: access.principal }) : undefined;
    const decisions: [PolicyType, Decision | undefined][] = [
        ["identity", identity],
        ["boundary", boundary],
        ["resource", resource],
    ];
    for (const [where, d] of decisions) {
        if (d?.effect === "deny") {
            return { result: "denied", where, by: d.by };
        }
    }
    // What the Allows grant, apart from Denies that may apply (those make the answer unproven further down).
    const allows = (statements: readonly Statement[]) => statements.filter((s) => s.Effect === "Allow");
    const grantBy = (statements: readonly Statement[] | undefined, where: PolicyType, r: Request = request as Request) =>
        grantOf(evaluate(allows(statements ?? []), r), where);
    const onResourceAllows = (principalMatch: Request["principalMatch"]) =>
        grantBy(access.resource?.statements, "resource", { ...request, principal: access.principal, principalMatch });
    const byPrincipal = access.resource ? onResourceAllows("principal") : undefined;
    const byAccount = access.resource ? onResourceAllows("account") : undefined;
    const ownGrant = grantBy(access.identity, "identity");
    const sameAccount = accountOfArn(access.principal) === access.resourceAccount;
    let grant: Grant;
    if (access.resource?.kind === "key") {
        // KMS: the key policy decides; through its account-root statement the identity policies count too.
        const direct = byPrincipal!;
        const delegated = byAccount!;
        if (!sameAccount) {
            grant = allOf(ownGrant, anyOf(direct, delegated));
        } else if (direct.v === "yes") {
            grant = direct;
        } else if (delegated.v !== "no") {
            grant = allOf(delegated, ownGrant);
        } else {
            grant = direct; // the key policy grants nothing: it is the one to name
        }
    } else if (sameAccount) {
        grant = byPrincipal ? anyOf(ownGrant, byPrincipal) : ownGrant;
        if (grant.v === "no") {
            grant = ownGrant; // the identity policies are where a same-account grant is expected
        }
    } else {
        grant = allOf(ownGrant, byPrincipal && byAccount ? anyOf(byPrincipal, byAccount) : { v: "no", where: "resource" });
    }
    if (access.boundary) {
        grant = allOf(grant, grantBy(access.boundary, "boundary"));
    }
    if (grant.v === "no") {
        return { result: "notAllowed", where: grant.where, ...(grant.nearMiss ? { nearMiss: grant.nearMiss } : {}) };
    }
    for (const [where, d] of decisions) {
        if (d?.effect === "conditionalDeny") {
            return { result: "unproven", where, by: d.by, keys: d.keys ?? [], deny: true };
        }
    }
    if (grant.v === "maybe") {
        return { result: "unproven", where: grant.where, by: grant.by, keys: grant.keys, deny: false };
    }
    return { result: "allowed" };
}
