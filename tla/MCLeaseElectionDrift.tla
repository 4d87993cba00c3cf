---------------------- MODULE MCLeaseElectionDrift ----------------------
(* LeaseElection with clock drift beyond the safe bound (expected to   *)
(* fail: the counterexample shows two candidates believing they lead). *)
EXTENDS LeaseElection, TLC

\* Candidates are interchangeable.
MCSymmetry == Permutations(Candidate)

\* Deliberately NOT assuming SafeTiming: with MCLeaseElectionDrift.cfg the drift exceeds the
\* bound and TLC is expected to report a violation of AtMostOneLeader.
SafeTiming == RetryPeriod + RenewDeadline + 4 * MaxSkew < LeaseDuration
===========================================================================
