/**
 * {@code kplane torture store}: a store cluster under faults, with clients whose history is
 * checked ({@link io.kplane.check.history}).
 *
 * <ul>
 *   <li>{@link io.kplane.check.torture.Sandbox}: the run re-executes itself under
 *       {@code unshare --net --mount}; each member gets a network namespace of its own on a bridge
 *       (10.77.0.(10+i)), so partitions are iptables DROP rules inside the members' namespaces and
 *       the host's rules are never touched; each member's data dir is a tmpfs of its own (disk-full
 *       fills it).</li>
 *   <li>{@link io.kplane.check.torture.Members}: kplane store processes or etcd 3.4 processes
 *       ({@link io.kplane.check.torture.Target}), started with {@code ip netns exec}, killed with
 *       SIGKILL, paused with SIGSTOP/SIGCONT, and (etcd) replaced through MemberRemove/MemberAdd.</li>
 *   <li>{@link io.kplane.check.torture.Workload} and {@link io.kplane.check.torture.Watcher}: the
 *       clients (raw jetcd-grpc stubs, the same for both targets): linearizable reads, puts of
 *       unique values, compare-and-set txns, and watches that resume after the last revision
 *       received.</li>
 *   <li>{@link io.kplane.check.torture.Nemesis}: one fault at a time, round robin from a random
 *       start, each held for 1.5–4 s and healed; members that died on their own are restarted and
 *       reported.</li>
 *   <li>{@link io.kplane.check.torture.TortureRun}: start, run, heal, let watchers catch up, read
 *       the final values and the reference event stream, check, write {@code result.json} and
 *       {@code history.jsonl}.</li>
 * </ul>
 */
package io.kplane.check.torture;
