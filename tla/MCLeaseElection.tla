------------------------- MODULE MCLeaseElection -------------------------
(* Model of LeaseElection.tla for TLC: two candidates, times in ticks.   *)
(* Same constants as the defaults of `./kplane check election`.          *)
EXTENDS LeaseElection, TLC

\* Candidates are interchangeable.
MCSymmetry == Permutations(Candidate)

\* The drift bound under which AtMostOneLeader must hold.
SafeTiming == RetryPeriod + RenewDeadline + 4 * MaxSkew + MaxLatency < LeaseDuration
ASSUME SafeTiming
===========================================================================
