/**
 * The etcd v3 gRPC API of a store member, over a {@link io.kplane.server.Replica} whose state
 * machine is the MVCC store: KV, Watch ({@link io.kplane.etcd.WatchHub}), Lease (with leader-decided
 * expiry, {@link io.kplane.etcd.LeaseExpiry}), Maintenance.Status and Cluster.MemberList, with etcd
 * 3.4's status codes and messages. {@link io.kplane.etcd.EtcdServer} starts one endpoint;
 * {@link io.kplane.etcd.KvCluster} and {@link io.kplane.etcd.KvClusterProcesses} start N-member
 * clusters in-process or as {@code kplane store} processes; {@link io.kplane.etcd.LocalReplica} is a
 * single unreplicated member for tests. Interop tests compare every answer with real etcd 3.4.
 */
package io.kplane.etcd;
