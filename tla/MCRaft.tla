------------------------------- MODULE MCRaft -------------------------------
(* Model of Raft.tla for TLC: 3 servers, 1 value, small bounds.          *)
(* Bounds: MCRaft.cfg (minutes), MCRaftDeep.cfg (`--tlc raft --deep`).  *)
EXTENDS Raft

CONSTANTS MaxTerm, MaxLogLength, MaxMessages

\* Bound the state space: TLC explores only states satisfying this.
StateBound ==
    /\ \A i \in Server : currentTerm[i] <= MaxTerm
    /\ \A i \in Server : Len(log[i]) <= MaxLogLength
    /\ BagCardinality(messages) <= MaxMessages

\* Servers are interchangeable: TLC may check one state per permutation class.
MCSymmetry == Permutations(Server)

\* TLC's VIEW: states that differ only in values no action reads before overwriting them are
\* one state. Raft.tla leaves a server's leader bookkeeping (nextIndex, matchIndex,
\* recentlyActive) in place when it steps down, and its votesGranted when its campaign ends;
\* every action reading them requires Leader (resp. PreCandidate/Candidate), and BecomeLeader
\* (resp. Timeout, StartElection) sets them afresh first. So such states have the same futures
\* and satisfy the same invariants (none reads these variables), and the view keeps them only
\* where they are live.
MCView ==
    <<currentTerm, votedFor, log, state, commitIndex,
      [i \in Server |-> IF state[i] \in {PreCandidate, Candidate} THEN votesGranted[i] ELSE {}],
      [i \in Server |-> IF state[i] = Leader THEN nextIndex[i] ELSE [j \in Server |-> 1]],
      [i \in Server |-> IF state[i] = Leader THEN matchIndex[i] ELSE [j \in Server |-> 0]],
      [i \in Server |-> IF state[i] = Leader THEN recentlyActive[i] ELSE {}],
      leaderContact, messages, elected, committed>>

MCSpec == Spec
=============================================================================
