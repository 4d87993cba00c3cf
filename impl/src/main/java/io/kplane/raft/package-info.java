/**
 * The Raft consensus core: a deterministic state machine in the style of etcd-io/raft, with no threads, I/O,
 * clocks or ambient randomness (an ArchUnit test pins this).
 *
 * <h2>Using it</h2>
 * <pre>{@code
 * MemoryStorage disk = MemoryStorage.bootstrap(ConfState.ofVoters(1, 2, 3)); // founding member; joiners: new MemoryStorage()
 * RaftNode node = RaftNode.create(RaftConfig.builder(1).build(), disk, seed);
 * // inputs: node.tick(); node.step(msgFromPeer); node.propose(bytes); node.readIndex(ctx); node.campaign();
 * while (node.hasReady()) {
 *     Ready rd = node.ready();
 *     // 1. persist rd.snapshot(), rd.hardState(), rd.entries()  (sync if rd.mustSync())
 *     // 2. send rd.messages()
 *     // 3. apply rd.snapshot() data, rd.committedEntries(); serve rd.readStates() once applied >= index
 *     node.advance(rd);
 * }
 * }</pre>
 *
 * <ul>
 *   <li>Node ids are {@code long > 0}; 0 means "none" (no leader, no vote).</li>
 *   <li>A new cluster starts from {@link io.kplane.raft.MemoryStorage#bootstrap}: a snapshot at index 1, term 1
 *       with the initial voters and empty data; the first real entry is the new leader's no-op at index 2.</li>
 *   <li>Membership: {@link io.kplane.raft.RaftNode#proposeConfChange} with {@link io.kplane.raft.ConfChange}
 *       (add learner, promote with add voter, remove); applied to the membership by {@code advance()}, so a
 *       snapshot taken at applied index i records {@link io.kplane.raft.RaftNode#confState()}.</li>
 *   <li>Errors: proposals and reads that cannot be accepted throw
 *       {@link io.kplane.raft.ProposalDroppedException}; contract violations throw {@link IllegalStateException}.</li>
 *   <li>Restart: build a new {@code RaftNode} over the recovered storage; it resumes from the snapshot (or
 *       {@code RaftConfig.applied}) and hands committed entries after it out again.</li>
 * </ul>
 *
 * <p>{@link io.kplane.raft.RaftRules} names the protocol's decision points (vote grant, log matching, commit,
 * apply limit …); production nodes run {@link io.kplane.raft.RaftRules#STANDARD}, and the simulation's
 * {@code io.kplane.raft.sim.Mutation} supplies broken rules to show the checkers catch them.
 * {@link io.kplane.raft.RaftNode#copy()} and
 * {@link io.kplane.raft.RaftNode#fingerprint()} serve the model checker; {@link io.kplane.raft.RaftText} renders
 * messages and entries for traces.
 */
package io.kplane.raft;
