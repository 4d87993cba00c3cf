/**
 * Lease leader election with client-go's semantics.
 *
 * <ul>
 *   <li>{@link io.kplane.election.LeaseElector}: the protocol as a pure state machine (local time
 *       passed in, no I/O); the model checker in {@code tla/} explores this very class.</li>
 *   <li>{@link io.kplane.election.LeaderElection}: its runtime — one thread reading and writing a
 *       {@code coordination.k8s.io/v1} Lease through {@link io.kplane.client.KubeClient}, with
 *       {@link io.kplane.election.LeaderCallbacks} on started/stopped leading.</li>
 *   <li>{@link io.kplane.election.ElectionTiming}: leaseDuration &gt; renewDeadline &gt; 1.2 ×
 *       retryPeriod (defaults 15 s / 10 s / 2 s).</li>
 * </ul>
 *
 * <h2>Clock drift: what the guarantee rests on</h2>
 * Nobody compares clocks across processes. A standby measures expiry from the moment <em>it</em>
 * last saw the record change, on its own monotonic clock; the leader measures its renew deadline
 * from its last successful renewal, on its own clock. The renewTime written into the Lease is for
 * humans and tools only. Mutual exclusion of "believes it leads" then needs only that clock
 * <em>rates</em> agree: the leader stops at most retryPeriod + renewDeadline (12 s by default)
 * after its last renewal on its clock, and a standby takes over no earlier than leaseDuration
 * (15 s) after it saw that renewal on its clock. If one clock runs more than about 25% faster or
 * slower than another (a suspended VM, a stopped process that resumes, a stalled GC longer than
 * the margin), two processes may both believe they lead for a while. Belief is not a lock: a
 * paused leader can resume and send one write it decided on before the pause; writes that must
 * never overlap need fencing on the server (e.g. a precondition on the Lease's resourceVersion).
 * {@code tla/LeaseElection.tla} states the drift bound and the model checker explores the
 * elector under drifting clocks.
 */
package io.kplane.election;
