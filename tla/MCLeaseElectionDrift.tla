---------------------- MODULE MCLeaseElectionDrift ----------------------
(* LeaseElection beyond the safe bound, by clock drift                 *)
(* (MCLeaseElectionDrift.cfg) or by response latency                   *)
(* (MCLeaseElectionLatency.cfg): expected to fail, the counterexample  *)
(* shows two candidates believing they lead.                           *)
EXTENDS LeaseElection, TLC

\* Candidates are interchangeable.
MCSymmetry == Permutations(Candidate)

\* Deliberately NOT assuming SafeTiming: with these configurations the drift or the latency
\* exceeds the bound and TLC is expected to report a violation of AtMostOneLeader.
SafeTiming == RetryPeriod + RenewDeadline + 4 * MaxSkew + MaxLatency < LeaseDuration
===========================================================================
