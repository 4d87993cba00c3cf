/**
 * The store member runtime: one Raft agent thread per member owns the Raft core, the write-ahead
 * log and the state machine; network and client threads hand work to it through Agrona queues.
 *
 * <h2>Contract with the layers above (kv, etcd)</h2>
 * <ul>
 *   <li>{@link io.kplane.server.StateMachine} is what the runtime applies committed entries to.
 *       All its methods run on the agent thread, so it needs no locks.</li>
 *   <li>{@link io.kplane.server.Replica} is how the client-facing layer talks to a member:
 *       {@code propose} (completes with the state machine's response once applied locally, on
 *       leader or follower), {@code readBarrier} (batched ReadIndex), {@code query} (run a read on
 *       the agent thread), {@code status} and leadership listeners (for leases: only the leader
 *       keeps lease timers, and learns of changes from {@link io.kplane.server.LeadershipListener}).</li>
 *   <li>{@link io.kplane.server.StoreApplication} (ServiceLoader) plugs a state machine and a
 *       client endpoint into {@code kplane store}.</li>
 * </ul>
 *
 * <h2>Agent duty cycle</h2>
 * drain inbox (peer messages, proposals, read requests) → step the core → tick from the agent's
 * clock → {@code ready()} → persist (WAL, one sync for the whole Ready) → send (one frame per
 * peer) → apply committed entries → complete client futures → {@code advance()}.
 *
 * <h2>Failures that stop a member</h2>
 * An exception from the state machine's {@code apply} (a half-applied txn cannot be undone) or from
 * the Raft core's {@code step} (a broken invariant, e.g. a commit index beyond the log) stops the
 * member, as a panic stops etcd: {@link io.kplane.server.StoreNode#failure()} completes and
 * {@code kplane store} exits with status 1. Requests the state machine refuses are error
 * responses, not exceptions. A restart replays the WAL onto a clean state.
 *
 * <h2>A data dir without its log</h2>
 * The member identity ({@code member.properties}) is written only after the WAL holds the bootstrap
 * state. A data dir with the identity but no WAL lost its log: the member refuses to start
 * ("has already been bootstrapped", as etcd says) because a fresh log could vote twice in a term
 * and forget entries it acknowledged. {@code --rejoin-as-learner} starts it with an empty log that
 * takes the leader's snapshot; until it has applied the commit index the leader announced (a
 * {@code rejoining-as-learner} marker file keeps this across restarts) it neither ticks (so never
 * campaigns) nor answers vote requests, and caps the commit index of heartbeats at its own log.
 *
 * <h2>Replication that cannot stall</h2>
 * {@link io.kplane.server.PeerTransport#send} reports a frame it dropped (peer not connected or its
 * connection not writable); the agent then reports the peer unreachable to Raft (which probes
 * instead of waiting for answers to appends that never left) and a snapshot in that frame as
 * failed. A heartbeat response frees one slot of a full inflight window (as etcd-io/raft does).
 * Snapshots bigger than {@link io.kplane.server.StoreConfig#snapshotChunkBytes()} (4 MiB by default)
 * go as a series of chunk frames, sent while the connection is writable and assembled in a file on
 * the receiver's disk, so a snapshot is not limited by the 512 MiB frame size; a state that could
 * not be serialized into one snapshot (2 GiB) is prevented by the NOSPACE quota (capped at
 * {@link io.kplane.server.StoreConfig#MAX_SNAPSHOT_STATE_BYTES}). Lifting that cap needs more than
 * the chunked transfer: a snapshot's state is one array in the Raft core ({@code raft.Snapshot}),
 * in the WAL ({@code wal.SnapshotFile}) and across {@link io.kplane.server.StateMachine}'s capture and
 * restore, so all three would have to stream from and to a file.
 *
 * <h2>Restarts</h2>
 * Every member keeps the cluster id and members its log starts from in its data dir
 * ({@link io.kplane.server.ClusterMembers}: the initial cluster, or the list it joined with) next to
 * its identity ({@link io.kplane.server.DataDirIdentity}). A member with an identity restarts from
 * these and its log whatever {@code --initial-cluster} and {@code --initial-cluster-state} say then,
 * as etcd ignores them once a data dir exists: it asks no peer, and members added, removed or moved
 * since are in its log and snapshots.
 *
 * <h2>Peer TLS</h2>
 * With {@link io.kplane.server.PeerTls} ({@code --peer-cert-file/--peer-key-file/--peer-trusted-ca-file/
 * --peer-client-cert-auth}, https:// peer URLs) everything on the peer port is TLS: Raft frames and snapshot
 * chunks ({@link io.kplane.server.NettyPeerTransport}, mutual TLS, the dialer verifying the peer's
 * certificate and host), the member list a joining member asks for and promotes forwarded to the leader
 * ({@code PeerCall}), and admin requests. A member refused at the handshake is unreachable, never connected.
 *
 * <h2>Backups</h2>
 * {@link io.kplane.server.BackupFile}: what etcd's Maintenance.Snapshot streams (state + SHA-256);
 * {@code kplane store --restore FILE} seeds a new data dir from it ({@link io.kplane.server.RestoredDataDir}).
 */
package io.kplane.server;
