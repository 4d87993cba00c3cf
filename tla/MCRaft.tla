------------------------------- MODULE MCRaft -------------------------------
(* Model of Raft.tla for TLC: 3 servers, 1 value, small bounds.          *)
(* The same bounds are the defaults of `./kplane check raft`.            *)
EXTENDS Raft

CONSTANTS MaxTerm, MaxLogLength, MaxMessages

\* Bound the state space: TLC explores only states satisfying this.
StateBound ==
    /\ \A i \in Server : currentTerm[i] <= MaxTerm
    /\ \A i \in Server : Len(log[i]) <= MaxLogLength
    /\ BagCardinality(messages) <= MaxMessages

\* Servers are interchangeable: TLC may check one state per permutation class.
MCSymmetry == Permutations(Server)

MCSpec == Spec
=============================================================================
