---------------------------- MODULE LeaseElection ----------------------------
(***************************************************************************)
(* Kubernetes Lease leader election as client-go's leaderelection package *)
(* runs it, with each candidate's clock drifting within a bound.           *)
(*                                                                         *)
(* The Lease is a register holding a record and a resourceVersion (rv).    *)
(* A candidate reads it (Get) and later writes it (Update) only if the rv  *)
(* is unchanged: optimistic concurrency, as the API server enforces.       *)
(*                                                                         *)
(* A candidate never compares its clock with another's. It remembers the   *)
(* LOCAL time at which it last saw the record change (observedTime) and    *)
(* treats a lease held by another as expired once                          *)
(*     observedTime + LeaseDuration <= its own clock.                      *)
(* A leader renews every RetryPeriod; each renew round starts RetryPeriod  *)
(* after the last success and gives up RenewDeadline later, at which       *)
(* point the leader stops believing it leads.                               *)
(*                                                                         *)
(* Clocks: real time `now` advances by one per Tick; each local clock      *)
(* advances by 0, 1 or 2 but stays within MaxSkew of real time, so over    *)
(* any interval two clocks disagree by at most 4 * MaxSkew (each drifts up *)
(* to 2 * MaxSkew). The election is safe when                              *)
(*     RetryPeriod + RenewDeadline + 4 * MaxSkew < LeaseDuration           *)
(* and TLC (or `./kplane check election --skew N`) finds two believers     *)
(* when the drift exceeds that bound.                                      *)
(*                                                                         *)
(* Responses take time: the API server applies a write, and the candidate  *)
(* learns the outcome up to MaxLatency ticks later. A leader anchors its   *)
(* renew deadline at the moment it LEARNS of its success (as client-go     *)
(* does), while the others saw the record change as early as the moment   *)
(* it was applied, so the latency comes off the margin:                    *)
(*     RetryPeriod + RenewDeadline + 4 * MaxSkew + MaxLatency              *)
(*         < LeaseDuration                                                 *)
(* (`./kplane check election --max-latency N`).                            *)
(*                                                                         *)
(* FENCING CAVEAT. "Believes it leads" is a belief about time, not a lock. *)
(* A leader whose process is paused (GC, swap, SIGSTOP) between checking   *)
(* its belief and acting on it acts on a stale belief; clocks that drift   *)
(* past the bound break the argument too. Lease election therefore gives   *)
(* mutual exclusion of BELIEF only under the drift bound, never mutual     *)
(* exclusion of EFFECTS. Effects that must not overlap need a fencing      *)
(* token checked by the resource itself (e.g. the Lease's rv or            *)
(* leaseTransitions carried in every write, checked by the store).         *)
(***************************************************************************)
EXTENDS Integers, FiniteSets

CONSTANTS
    Candidate,       \* set of candidate identities
    None,            \* "no holder"
    LeaseDuration, RenewDeadline, RetryPeriod,
    MaxSkew,         \* bound on |local clock - real time|
    MaxLatency,      \* bound on the time from applying a write to its writer learning the outcome
    MaxTime          \* bound on real time, for model checking

VARIABLES
    now,             \* real time
    clock,           \* clock[c]: c's local clock
    lease,           \* the register: [holder, renewTime, transitions, rv]
    phase,           \* phase[c] \in {"follower", "leader"}
    observed,        \* observed[c]: the last record c saw (without rv)
    observedRv,      \* observedRv[c]: its rv
    observedTime,    \* observedTime[c]: c's local time when observed[c] last changed
    deadline,        \* deadline[c]: a leader's local time at which it stops believing
    wakeup,          \* wakeup[c]: c's local time of its next try
    pending,         \* pending[c]: a write c has read-and-decided but not yet applied, or NoWrite
    response         \* response[c]: the outcome of c's applied write, not yet learned by c, or NoResponse

vars == <<now, clock, lease, phase, observed, observedRv, observedTime, deadline, wakeup, pending, response>>

NoWrite == [holder |-> None, rv |-> 0, renewTime |-> 0, transitions |-> 0, valid |-> FALSE]
NoRecord == [holder |-> None, renewTime |-> 0, transitions |-> 0]
NoResponse == [ok |-> FALSE, lease |-> [holder |-> None, renewTime |-> 0, transitions |-> 0, rv |-> 0],
               appliedAt |-> 0, valid |-> FALSE]
Record(l) == [holder |-> l.holder, renewTime |-> l.renewTime, transitions |-> l.transitions]

Init ==
    /\ now = 0
    /\ clock = [c \in Candidate |-> 0]
    /\ lease = [holder |-> None, renewTime |-> 0, transitions |-> 0, rv |-> 1]
    /\ phase = [c \in Candidate |-> "follower"]
    /\ observed = [c \in Candidate |-> NoRecord]
    /\ observedRv = [c \in Candidate |-> 0]
    /\ observedTime = [c \in Candidate |-> 0]
    /\ deadline = [c \in Candidate |-> 0]
    /\ wakeup = [c \in Candidate |-> 0]
    /\ pending = [c \in Candidate |-> NoWrite]
    /\ response = [c \in Candidate |-> NoResponse]

\* c believes it leads: it is leader and its own clock has not reached its renew deadline.
Believes(c) == phase[c] = "leader" /\ clock[c] < deadline[c]

\* c's retry timer has fired and c has no write in flight: it reads now.
ReadDue(c) == clock[c] >= wakeup[c] /\ pending[c] = NoWrite /\ ~response[c].valid

(* Real time passes; every clock moves by 0..2 within the skew bound.    *)
(* Reads are prompt: time does not pass while one is due (a slow or lost *)
(* read is GetFails). Writes may stay in flight across ticks; a response *)
(* reaches its writer within MaxLatency ticks of the write being applied.*)
(* A leader whose deadline passed stops leading (its renew round failed).*)
Tick ==
    /\ now < MaxTime
    /\ \A c \in Candidate : ~ReadDue(c)
    /\ \A c \in Candidate : response[c].valid => now + 1 - response[c].appliedAt <= MaxLatency
    /\ now' = now + 1
    /\ \E d \in [Candidate -> {0, 1, 2}] :
         /\ \A c \in Candidate : clock[c] + d[c] - (now + 1) \in -MaxSkew..MaxSkew
         /\ clock' = [c \in Candidate |-> clock[c] + d[c]]
    /\ phase' = [c \in Candidate |->
                   IF phase[c] = "leader" /\ clock'[c] >= deadline[c] THEN "follower" ELSE phase[c]]
    /\ UNCHANGED <<lease, observed, observedRv, observedTime, deadline, wakeup, pending, response>>

(* c's Get fails (API server unreachable): retry after RetryPeriod.      *)
GetFails(c) ==
    /\ ReadDue(c)
    /\ wakeup' = [wakeup EXCEPT ![c] = clock[c] + RetryPeriod]
    /\ UNCHANGED <<now, clock, lease, phase, observed, observedRv, observedTime, deadline, pending, response>>

(* c's retry timer fires: Get the lease, note a change, decide to write. *)
TryAcquireOrRenew(c) ==
    /\ ReadDue(c)
    /\ LET rec == Record(lease)
           changed == rec /= observed[c]
           obsTime == IF changed THEN clock[c] ELSE observedTime[c]
           heldByOther == /\ rec.holder /= None
                          /\ rec.holder /= c
                          /\ obsTime + LeaseDuration > clock[c]
       IN /\ observed' = [observed EXCEPT ![c] = rec]
          /\ observedRv' = [observedRv EXCEPT ![c] = lease.rv]
          /\ observedTime' = [observedTime EXCEPT ![c] = obsTime]
          /\ IF heldByOther
             THEN /\ wakeup' = [wakeup EXCEPT ![c] = clock[c] + RetryPeriod]
                  /\ UNCHANGED pending
             ELSE /\ pending' = [pending EXCEPT ![c] =
                        [holder |-> c, rv |-> lease.rv, renewTime |-> clock[c],
                         transitions |-> IF rec.holder = c THEN rec.transitions ELSE rec.transitions + 1,
                         valid |-> TRUE]]
                  /\ UNCHANGED wakeup
    /\ UNCHANGED <<now, clock, lease, phase, deadline, response>>

(* c learns the outcome `out` of its write, by its own clock then.       *)
Learn(c, out) ==
    /\ wakeup' = [wakeup EXCEPT ![c] = clock[c] + RetryPeriod]
    /\ IF out.ok
       THEN /\ observed' = [observed EXCEPT ![c] = Record(out.lease)]
            /\ observedRv' = [observedRv EXCEPT ![c] = out.lease.rv]
            /\ observedTime' = [observedTime EXCEPT ![c] = clock[c]]
            \* Acquired or renewed: the next renew round starts RetryPeriod from now
            \* and gives up RenewDeadline after that.
            /\ phase' = [phase EXCEPT ![c] = "leader"]
            /\ deadline' = [deadline EXCEPT ![c] = clock[c] + RetryPeriod + RenewDeadline]
       ELSE UNCHANGED <<observed, observedRv, observedTime, phase, deadline>>

(* The Update reaches the API server: it succeeds only if the rv is      *)
(* unchanged since c's Get. With MaxLatency = 0 c learns the outcome in  *)
(* the same step; otherwise the outcome is on its way back to c.         *)
ApplyWrite(c) ==
    /\ pending[c] /= NoWrite
    /\ pending' = [pending EXCEPT ![c] = NoWrite]
    /\ LET ok  == pending[c].rv = lease.rv
           new == [holder |-> c, renewTime |-> pending[c].renewTime,
                   transitions |-> pending[c].transitions, rv |-> lease.rv + 1]
           out == [ok |-> ok, lease |-> IF ok THEN new ELSE lease, appliedAt |-> now, valid |-> TRUE]
       IN /\ lease' = out.lease
          /\ IF MaxLatency = 0
             THEN /\ Learn(c, out)
                  /\ UNCHANGED response
             ELSE /\ response' = [response EXCEPT ![c] = out]
                  /\ UNCHANGED <<observed, observedRv, observedTime, phase, deadline, wakeup>>
    /\ UNCHANGED <<now, clock>>

(* c learns the outcome of its applied write, up to MaxLatency later.   *)
LearnOutcome(c) ==
    /\ response[c].valid
    /\ Learn(c, response[c])
    /\ response' = [response EXCEPT ![c] = NoResponse]
    /\ UNCHANGED <<now, clock, lease, pending>>

(* The bounded model stops at the time horizon (a stutter, not a deadlock: *)
(* a state before MaxTime where nothing can happen is still reported).   *)
Done ==
    /\ now = MaxTime
    /\ UNCHANGED vars

Next ==
    \/ Tick
    \/ \E c \in Candidate : TryAcquireOrRenew(c)
    \/ \E c \in Candidate : GetFails(c)
    \/ \E c \in Candidate : ApplyWrite(c)
    \/ \E c \in Candidate : LearnOutcome(c)
    \/ Done

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
\* At most one candidate believes it leads at any instant.
AtMostOneLeader ==
    \A c, d \in Candidate : Believes(c) /\ Believes(d) => c = d

TypeOK ==
    /\ now \in Nat
    /\ phase \in [Candidate -> {"follower", "leader"}]
    /\ \A c \in Candidate : clock[c] - now \in -MaxSkew..MaxSkew
=============================================================================
