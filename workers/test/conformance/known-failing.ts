/**
 * Cases where the compiler disagrees with the contract (details in FINDINGS.md), keyed
 * `dialect: case name`. They run as `it.fails`, so one that starts passing fails the suite and
 * this list must shrink with the fix.
 */
export const KNOWN_FAILING: Readonly<Record<string, string>> = {};
