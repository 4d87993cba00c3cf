-------------------------------- MODULE Watch --------------------------------
(***************************************************************************)
(* Watch delivery from a revisioned store, as kplane's kv watch and the   *)
(* API server's watch cache provide it over the fanout event log.          *)
(*                                                                         *)
(* The store commits one event per revision. Compaction discards every     *)
(* revision up to `compacted` (in the fanout log: a slow reader's slot is  *)
(* overwritten, which has the same effect for that reader). A watcher      *)
(* starts at a revision, receives events one at a time, may be             *)
(* disconnected, and resumes from the revision after the last one it saw.  *)
(*                                                                         *)
(* Guarantees (the invariants):                                            *)
(*   InOrderGapFreeNoDuplicates - across all resumes, a watcher receives   *)
(*       exactly the consecutive revisions from its start revision on;     *)
(*   CompactedOnlyWhenGone - a watcher is terminated with "compacted"      *)
(*       (etcd ErrCompacted; HTTP 410 Gone from the API server) only when  *)
(*       the revision it needs next has really been compacted;            *)
(*   ExactResume - after a resume, the next event is the revision right    *)
(*       after the last one received.                                      *)
(***************************************************************************)
EXTENDS Naturals, Sequences

CONSTANTS Watcher, MaxRevision

VARIABLES
    revision,     \* the store's current revision (events 1..revision exist or existed)
    compacted,    \* revisions 1..compacted are gone
    status,       \* status[w] \in {"idle", "active", "disconnected", "compacted"}
    cursor,       \* cursor[w]: the next revision w needs
    received,     \* received[w]: every revision w received, in order, across resumes
    startRev      \* startRev[w]: the revision w first asked for

vars == <<revision, compacted, status, cursor, received, startRev>>

Init ==
    /\ revision = 0
    /\ compacted = 0
    /\ status = [w \in Watcher |-> "idle"]
    /\ cursor = [w \in Watcher |-> 0]
    /\ received = [w \in Watcher |-> << >>]
    /\ startRev = [w \in Watcher |-> 0]

Put ==
    /\ revision < MaxRevision
    /\ revision' = revision + 1
    /\ UNCHANGED <<compacted, status, cursor, received, startRev>>

Compact(r) ==
    /\ compacted < r /\ r <= revision
    /\ compacted' = r
    /\ UNCHANGED <<revision, status, cursor, received, startRev>>

\* Start watching from revision r (a future revision is allowed, as in etcd).
StartWatch(w, r) ==
    /\ status[w] = "idle"
    /\ r >= 1 /\ r <= revision + 1
    /\ startRev' = [startRev EXCEPT ![w] = r]
    /\ cursor' = [cursor EXCEPT ![w] = r]
    /\ status' = [status EXCEPT ![w] = IF r <= compacted THEN "compacted" ELSE "active"]
    /\ UNCHANGED <<revision, compacted, received>>

\* Deliver the next event, or terminate the watch if that event is gone.
Deliver(w) ==
    /\ status[w] = "active"
    /\ cursor[w] <= revision
    /\ IF cursor[w] <= compacted
       THEN /\ status' = [status EXCEPT ![w] = "compacted"]
            /\ UNCHANGED <<cursor, received>>
       ELSE /\ received' = [received EXCEPT ![w] = Append(@, cursor[w])]
            /\ cursor' = [cursor EXCEPT ![w] = @ + 1]
            /\ UNCHANGED status
    /\ UNCHANGED <<revision, compacted, startRev>>

Disconnect(w) ==
    /\ status[w] = "active"
    /\ status' = [status EXCEPT ![w] = "disconnected"]
    /\ UNCHANGED <<revision, compacted, cursor, received, startRev>>

\* Resume from the revision after the last one received (or the start revision).
Resume(w) ==
    /\ status[w] = "disconnected"
    /\ LET from == IF received[w] = << >> THEN startRev[w] ELSE received[w][Len(received[w])] + 1
       IN /\ cursor' = [cursor EXCEPT ![w] = from]
          /\ status' = [status EXCEPT ![w] = IF from <= compacted THEN "compacted" ELSE "active"]
    /\ UNCHANGED <<revision, compacted, received, startRev>>

Next ==
    \/ Put
    \/ \E r \in 1..MaxRevision : Compact(r)
    \/ \E w \in Watcher, r \in 1..(MaxRevision + 1) : StartWatch(w, r)
    \/ \E w \in Watcher : Deliver(w) \/ Disconnect(w) \/ Resume(w)

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
InOrderGapFreeNoDuplicates ==
    \A w \in Watcher :
        \A k \in 1..Len(received[w]) : received[w][k] = startRev[w] + k - 1

CompactedOnlyWhenGone ==
    \A w \in Watcher : status[w] = "compacted" => cursor[w] <= compacted

ExactResume ==
    \A w \in Watcher : status[w] \in {"active", "disconnected"} =>
        cursor[w] = startRev[w] + Len(received[w])

\* Liveness: an active watcher that is not disconnected receives every event eventually.
Fairness == \A w \in Watcher : WF_vars(Deliver(w))
LiveSpec == Spec /\ Fairness
EventuallyCaughtUp ==
    \A w \in Watcher : [](status[w] = "active" => <>(status[w] /= "active" \/ cursor[w] > revision))
=============================================================================
