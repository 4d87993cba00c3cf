------------------------------ MODULE MCWatch ------------------------------
(* Model of Watch.tla for TLC: two watchers, four revisions.             *)
EXTENDS Watch, TLC

MCSymmetry == Permutations(Watcher)
=============================================================================
