/**
 * Checking histories of a store under faults.
 *
 * <ul>
 *   <li>{@link io.kplane.check.history.Operation}: one client operation (read, write,
 *       compare-and-set on one key) with invocation and completion times and an outcome: OK, FAIL
 *       (certainly did not happen) or INFO (unknown: may happen at any time after its invocation,
 *       or never).</li>
 *   <li>{@link io.kplane.check.history.Linearizability}: the Wing–Gong–Lowe search with
 *       P-compositionality, as Porcupine does it: the history is split per key and each part is
 *       searched for a linearization against a {@link io.kplane.check.history.SequentialModel}
 *       ({@link io.kplane.check.history.CasRegister} for etcd keys), with a cache of (linearized
 *       set, state) pairs. A violation is reported with the longest linearizable prefix found,
 *       the operation no order can place next and the operations concurrent with it.</li>
 *   <li>{@link io.kplane.check.history.HistoryChecks}: every acknowledged write is in the store's
 *       event history at its revision (no acknowledged write lost), no value appears that no
 *       client wrote or appears twice, revisions respect real time, and every watch stream is
 *       exactly the store's events from its start revision to its last event: gap-free, in
 *       order, duplicate-free.</li>
 * </ul>
 *
 * Used by {@code kplane torture store} ({@link io.kplane.check.torture}).
 */
package io.kplane.check.history;
