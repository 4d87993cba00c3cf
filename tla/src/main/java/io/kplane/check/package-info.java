/** The explicit-state explorer that model-checks the implementation against the invariants of the TLA+ specs. */
package io.kplane.check;
