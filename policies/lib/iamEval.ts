/**
 * A small, pure evaluator of IAM policy statements, for the question the replication policies ask: does
 * this set of documents let a principal perform one action on one resource, or on every resource of a
 * family (every object of a bucket, every object under a prefix)?
 *
 * It follows IAM's evaluation logic for identity and resource policies of one account: an explicit `Deny`
 * wins over any `Allow`; with no matching `Allow` the request is implicitly denied. `Action`/`NotAction`
 * match case-insensitively, `Resource`/`NotResource` case-sensitively; both accept the `*` and `?`
 * wildcards. Principals are matched for resource policies (bucket policies) only.
 *
 * Without a request context, conditions are not evaluated, and that is a choice per effect:
 * - an `Allow` with a condition counts as allowing. The replication policies ask about requests S3 makes
 *   on its own, and S3 sets the keys such conditions use (`kms:ViaService` = `s3.<region>.amazonaws.com`,
 *   `kms:EncryptionContext:aws:s3:arn` = the object or bucket ARN, `aws:SourceAccount`); a condition that
 *   S3's requests would not meet is outside what this module can prove;
 * - a `Deny` with a condition is reported as `conditional`: it may or may not apply, so the caller cannot
 *   prove the request allowed. The one exception is the TLS guard (`aws:SecureTransport` = false), which
 *   never matches S3's own requests between its endpoints.
 *
 *
 * With a request context (`Request.context`: the condition keys the request carries and their values),
 * conditions are evaluated as IAM does for the operators a deploy role's policy uses (see
 * {@link conditionHolds}): an Allow counts only when its condition holds, a Deny applies only when its
 * condition holds.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
import { asList, Statement } from "./model";

/** A resource asked about: one ARN, or every ARN that starts with `prefix` (an object family). */
export type ResourceRef = { readonly exact: string } | { readonly prefix: string };

/** The condition keys a request carries (`iam:PassedToService`, `aws:ResourceTag/Stack`, ...), single- or multivalued. */
export type RequestContext = Readonly<Record<string, string | readonly string[]>>;

export interface Request {
    readonly action: string;
    readonly resource: ResourceRef;
    /** For resource policies: the principal's ARN (a role ARN); its account root is derived from it. */
    readonly principal?: string;
    /** Given: conditions are evaluated against these keys (a key not here is absent from the request). */
    readonly context?: RequestContext;
}

export type Decision =
    | { readonly effect: "allow"; readonly by: Statement; readonly conditional: boolean }
    | { readonly effect: "deny"; readonly by: Statement }
    | { readonly effect: "conditionalDeny"; readonly by: Statement }
    | { readonly effect: "implicitDeny" };

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
type Reach = "all" | "some" | "none";

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

/** True when a resource policy statement's principal names `principal` (its ARN, its account, or anyone). */
function principalMatches(s: Statement & { NotPrincipal?: unknown }, principal: string | undefined): boolean {
    if (principal === undefined) {
        return true; // an identity policy: the statement is the principal's own
    }
    const account = accountOfArn(principal);
    const partition = /^arn:([^:]+):/.exec(principal)?.[1] ?? "aws";
    const names = (p: unknown): boolean => {
        if (p === "*") {
            return true;
        }
        const aws = asList((p as { AWS?: string | string[] } | undefined)?.AWS);
        return aws.some(
            (id) => id === "*" || id === principal || (account !== undefined && (id === account || id === `arn:${partition}:iam::${account}:root`)),
        );
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

/** The operators {@link conditionHolds} knows, by how they compare one context value with one policy value. */
const OPERATORS: Readonly<Record<string, { readonly negated: boolean; readonly match: (value: string, pattern: string) => boolean }>> = {
    StringEquals: { negated: false, match: (v, p) => v === p },
    StringNotEquals: { negated: true, match: (v, p) => v === p },
    StringEqualsIgnoreCase: { negated: false, match: (v, p) => v.toLowerCase() === p.toLowerCase() },
    StringNotEqualsIgnoreCase: { negated: true, match: (v, p) => v.toLowerCase() === p.toLowerCase() },
    StringLike: { negated: false, match: (v, p) => globMatch(p, v) },
    StringNotLike: { negated: true, match: (v, p) => globMatch(p, v) },
    ArnEquals: { negated: false, match: (v, p) => v === p },
    ArnNotEquals: { negated: true, match: (v, p) => v === p },
    ArnLike: { negated: false, match: (v, p) => globMatch(p, v) },
    ArnNotLike: { negated: true, match: (v, p) => globMatch(p, v) },
    Bool: { negated: false, match: (v, p) => v.toLowerCase() === p.toLowerCase() },
};

/** The context's values of `key` (condition key names are case-insensitive), or undefined when absent. */
function contextValues(context: RequestContext, key: string): readonly string[] | undefined {
    const found = Object.keys(context).find((k) => k.toLowerCase() === key.toLowerCase());
    if (found === undefined) {
        return undefined;
    }
    const value = context[found];
    return typeof value === "string" ? [value] : value;
}

/**
 * Whether a statement's `Condition` holds for a request carrying `context`, as IAM evaluates it: every
 * operator block and every key in it must hold (AND); a key holds when the request's value matches any of
 * the policy's values (OR), or, under a negated operator (`StringNotEquals`, `ArnNotLike`, ...), matches none
 * of them. A key absent from the request fails a positive operator and satisfies a negated one; `...IfExists`
 * satisfies either; `Null: true` holds exactly when it is absent. With a multivalued key, `ForAnyValue:` needs
 * one of the request's values to match (and fails when the key is absent, negated or not), `ForAllValues:`
 * every one (and holds when the key is absent).
 * An operator not listed here throws: an unknown operator must not pass silently.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 */
export function conditionHolds(condition: Statement["Condition"], context: RequestContext): boolean {
    for (const [rawOperator, keys] of Object.entries(condition ?? {})) {
        const set = /^(ForAnyValue|ForAllValues):/.exec(rawOperator)?.[1];
        const withoutSet = set ? rawOperator.slice(set.length + 1) : rawOperator;
        const ifExists = withoutSet.endsWith("IfExists");
        const name = ifExists ? withoutSet.slice(0, -"IfExists".length) : withoutSet;
        for (const [key, expected] of Object.entries(keys)) {
            const patterns = asList(expected as string | string[]).map(String);
            const values = contextValues(context, key);
            if (name === "Null") {
                if ((values === undefined || values.length === 0) !== (patterns[0].toLowerCase() === "true")) {
                    return false;
                }
                continue;
            }
            const operator = OPERATORS[name];
            if (operator === undefined) {
                throw new Error(`conditionHolds: unsupported condition operator ${rawOperator}`);
            }
            if (values === undefined || values.length === 0) {
                // Absent: ForAllValues holds (nothing fails it), ForAnyValue does not (nothing matches), a
                // negated operator holds, a positive one fails; IfExists holds either way.
                if (ifExists || set === "ForAllValues" || (operator.negated && set === undefined)) {
                    continue;
                }
                return false;
            }
            // One request value against the policy's values: any match (positive), no match (negated).
            const one = (v: string) => (operator.negated ? !patterns.some((p) => operator.match(v, p)) : patterns.some((p) => operator.match(v, p)));
            const holds = set === "ForAllValues" ? values.every(one) : operator.negated && set === undefined ? values.every(one) : values.some(one);
            if (!holds) {
                return false;
            }
        }
    }
    return true;
}

/**
 * IAM's decision for `request` over `statements` (the union of every policy that applies). A Deny that
 * reaches any part of the resource family denies the request; an Allow must reach all of it.
 */
export function evaluate(statements: readonly Statement[], request: Request): Decision {
    let allow: Decision | undefined;
    let conditionalDeny: Decision | undefined;
    for (const s of statements) {
        if (!actionMatches(s, request.action) || !principalMatches(s, request.principal)) {
            continue;
        }
        const reach = resourceReach(s, request.resource);
        if (request.context !== undefined && hasCondition(s)) {
            // Conditions known: a statement whose condition fails does not apply; one whose condition holds
            // applies as if it had none.
            if (!conditionHolds(s.Condition, request.context)) {
                continue;
            }
            if (s.Effect === "Deny" && reach !== "none") {
                return { effect: "deny", by: s };
            }
            if (s.Effect === "Allow" && reach === "all") {
                allow ??= { effect: "allow", by: s, conditional: true };
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
    return conditionalDeny ?? allow ?? { effect: "implicitDeny" };
}
