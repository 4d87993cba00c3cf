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
 */
package io.kplane.server;
