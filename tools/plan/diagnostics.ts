/**
 * What a policy pack answers, as the plan reports it: enforcement levels and diagnostics.
 */
export type EnforcementLevel = "advisory" | "mandatory" | "disabled" | "remediate";
/** The levels in the order of the protocol's enum. */
export const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "disabled", "remediate"];

export interface Diagnostic {
    readonly policy: string;
    readonly policyPack: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly message: string;
    readonly urn?: string;
    /** "resource" for Analyze, "stack" for AnalyzeStack. */
    readonly phase: "resource" | "stack";
}

// The SDK sends "<policy description>\n<violation message>"; the engine knows which resource an Analyze
// call was about even when the diagnostic names none.
export function collect(phase: Diagnostic["phase"], response: any, resourceUrn?: string): Diagnostic[] {
    return response.getDiagnosticsList().map((d: any): Diagnostic => {
        const description: string = d.getDescription();
        const message: string = d.getMessage();
        return {
            policy: d.getPolicyname(),
            policyPack: d.getPolicypackname(),
            enforcementLevel: LEVELS[d.getEnforcementlevel()],
            message: description && message.startsWith(`${description}\n`) ? message.slice(description.length + 1) : message,
            urn: d.getUrn() || resourceUrn,
            phase,
        };
    });
}
