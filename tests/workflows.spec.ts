/**
 * The GitHub Actions workflows (actionlint checks them in `npm run lint`): their shape is what docs/delivery.md
 * promises: every stack
 * file has its offline gate, its preview and its deploy, and nothing previews or deploys without the
 * policy pack and that stack's policy config.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";

const ROOT = path.join(__dirname, "..");
const DIR = path.join(ROOT, ".github", "workflows");
const STACKS = fs
    .readdirSync(ROOT)
    .map((f) => /^Pulumi\.([\w-]+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
// The test job of each workflow runs what CI's own script runs before it plans: npm ci, npm test, then the
// slower gates, in .ci/run's order.
const TEST_STEPS = fs
    .readFileSync(path.join(ROOT, ".ci", "run"), "utf8")
    .split("\n")
    .filter((line) => /^npm (ci|test|run (lint|test:[\w-]+))$/.test(line));

interface Step {
    readonly uses?: string;
    readonly run?: string;
    readonly with?: Record<string, unknown>;
    readonly env?: Record<string, string>;
}
interface Job {
    readonly name?: string;
    readonly needs?: string | string[];
    readonly if?: string;
    readonly environment?: string;
    readonly concurrency?: { group: string; "cancel-in-progress": boolean };
    readonly permissions?: Record<string, string>;
    readonly strategy?: { matrix: { stack: string[] } };
    readonly env?: Record<string, string>;
    readonly steps: Step[];
}
interface Workflow {
    readonly on: Record<string, unknown>;
    readonly permissions: Record<string, string>;
    readonly jobs: Record<string, Job>;
}

const load = (file: string) => yaml.load(fs.readFileSync(path.join(DIR, file), "utf8")) as Workflow;
const ACTION = (name: string) => (s: Step) => s.uses?.split("@")[0] === name;

/** The stacks a job runs for: its matrix's, or the one its environment names. */
const stacksOf = (job: Job): string[] => job.strategy?.matrix.stack ?? (job.environment ? [job.environment] : []);

/** A step's stack, with the matrix's `${{ matrix.stack }}` read as each stack of the job. */
const expand = (text: string, stack: string) => text.replace(/\$\{\{ matrix\.stack \}\}/g, stack);

describe("GitHub Actions workflows", () => {
    it("has exactly the pull-request and the deploy workflow", () => {
        expect(fs.readdirSync(DIR).sort()).to.deep.equal(["deploy.yml", "pull-request.yml"]);
    });

    it("pins every action to a full commit SHA, with its version tag in a comment", () => {
        for (const file of fs.readdirSync(DIR)) {
            const text = fs.readFileSync(path.join(DIR, file), "utf8");
            const uses = [...text.matchAll(/uses: (\S+)(.*)$/gm)];
            expect(uses.length, file).to.be.greaterThan(0);
            for (const [, ref, comment] of uses) {
                expect(ref, file).to.match(/^[\w-]+\/[\w-]+@[0-9a-f]{40}$/);
                expect(comment, `${file} ${ref}`).to.match(/^ # v\d+\.\d+\.\d+$/);
            }
        }
    });

    it("uses the Pulumi CLI of the SDK in package-lock.json", () => {
        const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8"));
        const sdk = lock.packages["node_modules/@pulumi/pulumi"].version as string;
        for (const file of fs.readdirSync(DIR)) {
            for (const job of Object.values(load(file).jobs)) {
                for (const step of job.steps.filter(ACTION("pulumi/actions"))) {
                    expect(step.with?.["pulumi-version"], file).to.equal(sdk);
                }
            }
        }
    });

    describe("on pull requests", () => {
        const wf = load("pull-request.yml");

        it("runs what .ci/run runs (npm test, lint, end-to-end, packaging), with read-only repository permissions", () => {
            expect(Object.keys(wf.on)).to.deep.equal(["pull_request"]);
            expect(wf.permissions).to.deep.equal({ contents: "read" });
            expect(wf.jobs.test.steps.filter((s) => s.run).map((s) => s.run)).to.deep.equal(TEST_STEPS);
        });

        it("runs the offline gate for every stack file, without credentials", () => {
            const gate = wf.jobs.gate;
            expect([...stacksOf(gate)].sort()).to.deep.equal(STACKS);
            expect(gate.steps.map((s) => s.run).filter(Boolean)).to.deep.equal(["npm ci", "npm run plan -- --strict --stack ${{ matrix.stack }}"]);
            expect(gate.permissions).to.equal(undefined);
            expect(gate.steps.some(ACTION("aws-actions/configure-aws-credentials"))).to.equal(false);
        });

        it("previews every stack file with the policy pack and its policy config, posted on the pull request", () => {
            const preview = wf.jobs.preview;
            expect([...stacksOf(preview)].sort()).to.deep.equal(STACKS);
            const pulumi = preview.steps.find(ACTION("pulumi/actions"))!;
            for (const stack of STACKS) {
                expect(expand(String(pulumi.with!.policyPackConfigs), stack)).to.equal(`policies/config/${stack}.json`);
            }
            expect(pulumi.with).to.deep.include({ command: "preview", policyPacks: "policies", "comment-on-pr": true });
        });

        it("previews with the read-only role over OIDC, outside any environment, only once that role is configured", () => {
            const preview = wf.jobs.preview;
            expect(preview.environment).to.equal(undefined);
            expect(preview.permissions).to.deep.equal({ contents: "read", "id-token": "write", "pull-requests": "write" });
            expect(preview.if).to.equal("vars.AWS_PREVIEW_ROLE_ARN != '' && github.event.pull_request.head.repo.full_name == github.repository");
            const credentials = preview.steps.find(ACTION("aws-actions/configure-aws-credentials"))!;
            expect(credentials.with!["role-to-assume"]).to.equal("${{ vars.AWS_PREVIEW_ROLE_ARN }}");
            expect(Object.keys(credentials.with!)).not.to.include.members(["aws-access-key-id", "aws-secret-access-key"]);
        });
    });

    describe("on pushes to main", () => {
        const wf = load("deploy.yml");
        const deploys = Object.entries(wf.jobs).filter(([, job]) => job.steps.some((s) => ACTION("pulumi/actions")(s) && s.with?.command === "up"));

        it("deploys every stack file, one job each, in its own GitHub environment, dev then staging then prod", () => {
            expect(Object.keys(wf.on)).to.deep.equal(["push", "workflow_dispatch"]);
            expect(deploys.map(([id, job]) => `${id}:${job.environment}:${job.needs}`)).to.deep.equal(["dev:dev:test", "staging:staging:dev", "prod:prod:staging"]);
            expect(deploys.map(([id]) => id).sort()).to.deep.equal(STACKS);
        });

        it("deploys from main only: a manual run of another branch skips every job (the environments' branch rules enforce it)", () => {
            const MAIN = "github.ref == 'refs/heads/main'";
            expect(wf.jobs.test.if).to.equal(`vars.DEPLOY_ENABLED == 'true' && ${MAIN}`);
            for (const [id, job] of deploys) {
                expect(job.if, id).to.equal(MAIN);
            }
            expect(wf.on.push).to.deep.equal({ branches: ["main"] });
            // The workflow file is the dispatched branch's own: the README-level control is the environment's
            // deployment branch rule, which docs/deploy-safety.md asks for and says why.
            const docs = fs.readFileSync(path.join(ROOT, "docs", "deploy-safety.md"), "utf8");
            expect(docs).to.contain("Deployment branches and tags");
            expect(fs.readFileSync(path.join(DIR, "deploy.yml"), "utf8")).to.contain("Deployment branches and tags: Selected branches, main");
        });

        it("deploys only after the test job has run what .ci/run runs", () => {
            expect(wf.jobs.test.steps.filter((s) => s.run).map((s) => s.run)).to.deep.equal(TEST_STEPS);
        });

        it("runs one deploy per stack at a time, never cancelling one half-way", () => {
            for (const [id, job] of deploys) {
                expect(job.concurrency).to.deep.equal({ group: `pulumi-${id}`, "cancel-in-progress": false });
            }
        });

        it("gates every deploy by the offline plan and the policy pack with the stack's policy config", () => {
            for (const [id, job] of deploys) {
                const runs = job.steps.map((s) => s.run).filter(Boolean);
                expect(runs, id).to.deep.equal(["npm ci", `npm run plan -- --strict --stack ${id}`]);
                const up = job.steps.find(ACTION("pulumi/actions"))!;
                expect(up.with).to.deep.include({ command: "up", policyPacks: "policies", policyPackConfigs: `policies/config/${id}.json` });
            }
        });

        it("assumes the environment's deploy role by OIDC, with no long-lived key", () => {
            expect(wf.permissions).to.deep.equal({ contents: "read" });
            for (const [id, job] of deploys) {
                expect(job.permissions, id).to.deep.equal({ contents: "read", "id-token": "write" });
                const credentials = job.steps.find(ACTION("aws-actions/configure-aws-credentials"))!;
                expect(credentials.with!["role-to-assume"]).to.equal("${{ vars.AWS_DEPLOY_ROLE_ARN }}");
            }
            for (const file of fs.readdirSync(DIR)) {
                expect(fs.readFileSync(path.join(DIR, file), "utf8"), file).not.to.match(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/);
            }
        });
    });

    it("restores no dependency cache in a job that holds an OIDC token (a poisoned cache would run with its role)", () => {
        for (const file of fs.readdirSync(DIR)) {
            for (const [id, job] of Object.entries(load(file).jobs).filter(([, j]) => j.permissions?.["id-token"] === "write")) {
                const setup = job.steps.find(ACTION("actions/setup-node"))!;
                expect(setup.with, `${file} ${id}`).to.deep.equal({ "node-version": 20, "package-manager-cache": false });
            }
        }
    });

    it("hands the Pulumi token and passphrase only to the step that runs pulumi, never to a whole job", () => {
        const PULUMI_SECRETS = {
            PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}",
            PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
        };
        let pulumiSteps = 0;
        for (const file of fs.readdirSync(DIR)) {
            const wf = load(file) as Workflow & { env?: unknown };
            expect(wf.env, file).to.equal(undefined);
            for (const [id, job] of Object.entries(wf.jobs)) {
                expect(JSON.stringify(job.env ?? {}), `${file} ${id}`).not.to.contain("secrets.");
                for (const step of job.steps) {
                    if (ACTION("pulumi/actions")(step)) {
                        pulumiSteps++;
                        expect(step.env, `${file} ${id}`).to.deep.equal(PULUMI_SECRETS);
                    } else {
                        // Only the pull-request comment's GITHUB_TOKEN goes to a step otherwise.
                        expect(JSON.stringify({ env: step.env, with: step.with }), `${file} ${id} ${step.uses ?? step.run}`).not.to.match(/secrets\.(?!GITHUB_TOKEN)/);
                    }
                }
            }
        }
        expect(pulumiSteps).to.equal(4);
        // The preview's pulumi step is also the one that gets the GitHub token, for its comment.
        expect(load("pull-request.yml").jobs.preview.steps.find(ACTION("pulumi/actions"))!.with!["github-token"]).to.equal("${{ secrets.GITHUB_TOKEN }}");
    });

    it("runs no pulumi command anywhere without the policy pack", () => {
        for (const file of fs.readdirSync(DIR)) {
            for (const [id, job] of Object.entries(load(file).jobs)) {
                for (const step of job.steps) {
                    if (ACTION("pulumi/actions")(step)) {
                        expect(step.with?.policyPacks, `${file} ${id}`).to.equal("policies");
                    }
                    expect(step.run ?? "", `${file} ${id}`).not.to.match(/\bpulumi (up|preview)\b/);
                }
            }
        }
    });
});
