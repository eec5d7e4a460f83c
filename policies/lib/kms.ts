/** Customer managed keys. */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { controlTags, forType, isKind, read, TYPES } from "./model";

export const kmsKeyRotation: ResourceValidationPolicy = {
    name: "kms-key-rotation-enabled",
    description: "Symmetric customer managed KMS keys rotate automatically (enableKeyRotation).",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps: "Set `enableKeyRotation: true` on the aws.kms.Key (asymmetric and HMAC keys cannot rotate and are skipped).",
    tags: controlTags({ checkov: ["CKV_AWS_7"], securityHub: ["KMS.4"], awsConfig: ["cmk-backing-key-rotation-enabled"] }),
    validateResource: forType(TYPES.kmsKey[0], (args, reportViolation) => {
        if (!isKind(args, "kmsKey")) {
            return;
        }
        const spec = read(() => args.props.customerMasterKeySpec) ?? read(() => args.props.keySpec) ?? "SYMMETRIC_DEFAULT";
        const usage = read(() => args.props.keyUsage) ?? "ENCRYPT_DECRYPT";
        if (spec !== "SYMMETRIC_DEFAULT" || usage !== "ENCRYPT_DECRYPT") {
            return;
        }
        if (read(() => args.props.enableKeyRotation) !== true) {
            reportViolation(`Key '${args.name}' does not rotate (enableKeyRotation is not true).`);
        }
    }),
};
