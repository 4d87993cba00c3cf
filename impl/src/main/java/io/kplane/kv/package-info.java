/**
 * The MVCC key-value store with etcd v3 semantics, as a deterministic replicated state machine.
 *
 * <ul>
 *   <li>{@link io.kplane.kv.MvccStore}: revisions, ranges with every etcd option, puts, deletes,
 *       transactions, compaction, leases, watch history, snapshot/restore; single-threaded.</li>
 *   <li>{@link io.kplane.kv.KvStateMachine}: applies {@link io.kplane.kv.KvCommand}s (etcd request
 *       protobufs behind a type byte) and publishes each revision's events to the {@code fanout} log.</li>
 *   <li>{@link io.kplane.kv.RequestChecks}: the checks etcd makes before proposing.</li>
 *   <li>{@link io.kplane.kv.KvMemoryFootprint}: measures heap bytes per key.</li>
 * </ul>
 * Messages are the etcd protos shipped in {@code io.etcd:jetcd-grpc}; no clock, thread or I/O here.
 */
package io.kplane.kv;
