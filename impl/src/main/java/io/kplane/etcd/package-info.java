/**
 * The etcd v3 gRPC API of a store member, over a {@link io.kplane.server.Replica} whose state
 * machine is the MVCC store: KV, Watch ({@link io.kplane.etcd.WatchHub}), Lease (with leader-decided
 * expiry, {@link io.kplane.etcd.LeaseExpiry}), Maintenance (Status, Hash, HashKV, Defragment,
 * MoveLeader) and Cluster.MemberList, with etcd 3.4's status codes and messages.
 * {@link io.kplane.etcd.EtcdServer} starts one endpoint;
 * {@link io.kplane.etcd.KvClusterProcesses} starts an N-member cluster as {@code kplane store}
 * processes (what {@code kplane bench} measures). Interop tests compare every answer with real etcd 3.4.
 * Test-only clusters live in the test fixtures ({@code impl/src/testFixtures}): {@code KvCluster}
 * (N members in one JVM) and {@code LocalReplica} (one unreplicated member, for the API layer alone).
 *
 * <p>Semantics worth knowing:
 * <ul>
 *   <li>Ranges and read-only txns run on the endpoint's {@code etcd-read-N} threads against the
 *       store's published revision, never on the Raft thread; compaction drops history in slices of
 *       {@value io.kplane.kv.MvccStore#COMPACTION_BATCH_REVISIONS} revisions, one before each applied
 *       command.</li>
 *   <li>A watch progress request is answered only once the stream has sent every event up to the
 *       revision it announces (etcd 3.5's rule; 3.4 could announce a revision ahead of events).</li>
 *   <li>A lease expiry carries the lease's refresh stamp: a keep-alive ordered before it in the log
 *       keeps the lease (and was acknowledged truthfully), one ordered after it gets not-found.</li>
 *   <li>{@code /health} and Prometheus {@code /metrics} (etcd's names) are served over HTTP/1.1 on
 *       the plaintext client port next to gRPC, as etcd does ({@link io.kplane.etcd.ClientPortHttp}),
 *       and on {@code --listen-metrics-urls}; with client TLS only on the latter. The client port can use TLS with
 *       etcd's {@code --cert-file/--key-file/--trusted-ca-file/--client-cert-auth}
 *       ({@link io.kplane.etcd.ClientTls}), the peer port with its {@code --peer-*} twins and https:// peer URLs
 *       ({@link io.kplane.server.PeerTls}; {@code PeerTlsInteropTest} runs the same certificates and script
 *       on real etcd 3.4).</li>
 *   <li>The Cluster service changes membership at runtime (MemberAdd with or without
 *       {@code --learner}, MemberRemove, MemberUpdate, MemberPromote) with etcd 3.4's checks and
 *       errors; a follower forwards MemberPromote to the leader's peer port, as etcd does (only the
 *       leader knows how far the learner's log is). Unlike etcd 3.4, MemberUpdate keeps a
 *       learner's learner flag (as etcd 3.5 does). The added member is started with
 *       {@code kplane store --initial-cluster-state existing}: it asks a peer for the member list
 *       ({@link io.kplane.server.ClusterMembers}), keeps that list in its data dir, joins with an empty log
 *       and publishes its name and client URL. Every member keeps the members its log starts from in
 *       its data dir (the initial cluster, or the list it joined with): restarted, a member reads them
 *       there and asks no peer, whatever {@code --initial-cluster} and {@code --initial-cluster-state}
 *       say then (etcd ignores them once the data dir exists) ({@code StoreJoinProcessTest},
 *       {@code StoreRestartProcessTest}).</li>
 *   <li>{@code WatchCreateRequest.fragment} splits responses above max-request-bytes + 512 KiB, as
 *       etcd does; the fields travel as unknown protobuf fields (jetcd-grpc's proto lacks them).</li>
 * </ul>
 */
package io.kplane.etcd;
