-------------------------------- MODULE Watch --------------------------------
(***************************************************************************)
(* Watch delivery from a revisioned store over a fan-out ring, as kplane's *)
(* etcd watch hub does it (io.kplane.etcd.WatchHub over fanout.EventLog    *)
(* and kv.MvccStore).                                                      *)
(*                                                                         *)
(* The store commits one event per revision. Compaction discards the       *)
(* history below a revision (etcd keeps the compaction revision itself).   *)
(* Every committed revision is also published to a ring of RingSize slots *)
(* that all streams read; a stream that falls RingSize revisions behind   *)
(* the writer is lapped (its next slot was overwritten).                   *)
(*                                                                         *)
(* A watcher wants the revisions from its start revision on. It opens a   *)
(* stream (subscribes at the ring's tail) and first catches up from the   *)
(* store's history; then it takes a revision from its stream only if it   *)
(* is exactly the one it expects next: an older one is skipped (already   *)
(* delivered by the catch-up), a newer one, or a lapped stream, sends it  *)
(* back to catch up. A history read below the compaction ends the watch   *)
(* with "compacted" (etcd ErrCompacted; HTTP 410 Gone from the API         *)
(* server). A watcher may be disconnected and resume from the revision     *)
(* after the last one it received.                                         *)
(*                                                                         *)
(* Guarantees (the invariants):                                            *)
(*   InOrderGapFreeNoDuplicates - across all resumes, a watcher receives   *)
(*       exactly the consecutive revisions from its start revision on;     *)
(*   CompactedOnlyWhenGone - a watcher ends with "compacted" only when     *)
(*       the revision it needs next has really been compacted;            *)
(*   ExactResume - a live watcher's next revision is the one right after   *)
(*       the last one it received.                                         *)
(* Bug names a deliberate mistake in the watcher's rules, to show that    *)
(* each invariant can fail (the explorer's WatchModel mutations):          *)
(*   "SkipExactNext"       take any newer revision from the stream;        *)
(*   "ResumeAtLast"        resume from the last revision received;         *)
(*   "CompactedAtBoundary" treat the compaction revision itself as gone.   *)
(***************************************************************************)
EXTENDS Naturals, Sequences

CONSTANTS Watcher, MaxRevision, RingSize, MaxDisconnects, Bug

ASSUME RingSize >= 1
ASSUME Bug \in {"none", "SkipExactNext", "ResumeAtLast", "CompactedAtBoundary"}

VARIABLES
    revision,     \* the store's current revision (events 1..revision were committed)
    compacted,    \* history below `compacted` is gone (0: never compacted)
    status,       \* status[w] \in {"idle", "active", "catchup", "disconnected", "compacted"}
    next,         \* next[w]: the revision w needs next
    stream,       \* stream[w]: the revision w's stream reads next from the ring
    lastSeen,     \* lastSeen[w]: the newest revision w's stream has seen
    received,     \* received[w]: every revision w received, in order, across resumes
    startRev,     \* startRev[w]: the revision w first asked for
    disconnects   \* disconnects[w]: how often w was disconnected

vars == <<revision, compacted, status, next, stream, lastSeen, received, startRev, disconnects>>
storeVars == <<revision, compacted>>

Max(a, b) == IF a > b THEN a ELSE b

\* The oldest revision the ring still holds.
RingStart == Max(1, revision - RingSize + 1)

\* A history read from revision r fails with ErrCompacted.
Gone(r) == IF Bug = "CompactedAtBoundary" THEN r <= compacted ELSE r < compacted

Init ==
    /\ revision = 0
    /\ compacted = 0
    /\ status = [w \in Watcher |-> "idle"]
    /\ next = [w \in Watcher |-> 0]
    /\ stream = [w \in Watcher |-> 0]
    /\ lastSeen = [w \in Watcher |-> 0]
    /\ received = [w \in Watcher |-> << >>]
    /\ startRev = [w \in Watcher |-> 0]
    /\ disconnects = [w \in Watcher |-> 0]

Put ==
    /\ revision < MaxRevision
    /\ revision' = revision + 1
    /\ UNCHANGED <<compacted, status, next, stream, lastSeen, received, startRev, disconnects>>

\* Compact at r: history below r is gone; the newest revision is always kept.
Compact(r) ==
    /\ compacted < r /\ r <= revision
    /\ compacted' = r
    /\ UNCHANGED <<revision, status, next, stream, lastSeen, received, startRev, disconnects>>

\* Open a stream for w, wanting `from` next: subscribe at the ring's tail, catch up first.
Open(w, from) ==
    /\ status' = [status EXCEPT ![w] = "catchup"]
    /\ next' = [next EXCEPT ![w] = from]
    /\ stream' = [stream EXCEPT ![w] = revision + 1]
    /\ lastSeen' = [lastSeen EXCEPT ![w] = revision]

\* Start watching from revision r (a future revision is allowed, as in etcd).
StartWatch(w, r) ==
    /\ status[w] = "idle"
    /\ r >= 1 /\ r <= revision + 1
    /\ startRev' = [startRev EXCEPT ![w] = r]
    /\ Open(w, r)
    /\ UNCHANGED <<storeVars, received, disconnects>>

\* One history read from next[w] (a batch of one revision, so catching up takes rounds).
CatchUp(w) ==
    /\ status[w] = "catchup"
    /\ IF Gone(next[w])
       THEN /\ status' = [status EXCEPT ![w] = "compacted"]
            /\ UNCHANGED <<next, received>>
       ELSE /\ status' = [status EXCEPT ![w] = "active"]
            /\ IF next[w] <= revision
               THEN /\ received' = [received EXCEPT ![w] = Append(@, next[w])]
                    /\ next' = [next EXCEPT ![w] = @ + 1]
               ELSE UNCHANGED <<next, received>>
    /\ UNCHANGED <<storeVars, stream, lastSeen, startRev, disconnects>>

\* The stream's next slot was overwritten: subscribe again at the tail and catch up.
Lapped(w) ==
    /\ status[w] = "active"
    /\ stream[w] <= revision /\ stream[w] < RingStart
    /\ status' = [status EXCEPT ![w] = "catchup"]
    /\ stream' = [stream EXCEPT ![w] = revision + 1]
    /\ lastSeen' = [lastSeen EXCEPT ![w] = revision]
    /\ UNCHANGED <<storeVars, next, received, startRev, disconnects>>

\* The stream has nothing new, but it saw revisions w has not got: catch up.
Behind(w) ==
    /\ status[w] = "active"
    /\ stream[w] > revision
    /\ next[w] <= lastSeen[w]
    /\ status' = [status EXCEPT ![w] = "catchup"]
    /\ UNCHANGED <<storeVars, next, stream, lastSeen, received, startRev, disconnects>>

\* Take the stream's next revision r with the exactly-next rule.
Poll(w) ==
    /\ status[w] = "active"
    /\ stream[w] <= revision /\ stream[w] >= RingStart
    /\ LET r == stream[w] IN
       /\ stream' = [stream EXCEPT ![w] = r + 1]
       /\ lastSeen' = [lastSeen EXCEPT ![w] = Max(@, r)]
       /\ IF r < next[w]
          THEN UNCHANGED <<status, next, received>>                  \* already delivered
          ELSE IF r > next[w] /\ Bug /= "SkipExactNext"
          THEN /\ status' = [status EXCEPT ![w] = "catchup"]           \* a gap: catch up
               /\ UNCHANGED <<next, received>>
          ELSE /\ received' = [received EXCEPT ![w] = Append(@, r)]
               /\ next' = [next EXCEPT ![w] = r + 1]
               /\ UNCHANGED status
    /\ UNCHANGED <<storeVars, startRev, disconnects>>

Disconnect(w) ==
    /\ status[w] = "active"
    /\ disconnects[w] < MaxDisconnects
    /\ status' = [status EXCEPT ![w] = "disconnected"]
    /\ disconnects' = [disconnects EXCEPT ![w] = @ + 1]
    /\ UNCHANGED <<storeVars, next, stream, lastSeen, received, startRev>>

\* Resume from the revision after the last one received (or the start revision).
Resume(w) ==
    /\ status[w] = "disconnected"
    /\ LET last == received[w][Len(received[w])]
           from == IF received[w] = << >> THEN startRev[w]
                   ELSE IF Bug = "ResumeAtLast" THEN last ELSE last + 1
       IN Open(w, from)
    /\ UNCHANGED <<storeVars, received, startRev, disconnects>>

\* The bounded model stops when the store has written its last revision (no deadlock).
Done ==
    /\ revision = MaxRevision
    /\ UNCHANGED vars

Next ==
    \/ Put
    \/ \E r \in 1..MaxRevision : Compact(r)
    \/ \E w \in Watcher, r \in 1..(MaxRevision + 1) : StartWatch(w, r)
    \/ \E w \in Watcher : CatchUp(w) \/ Lapped(w) \/ Behind(w) \/ Poll(w) \/ Disconnect(w) \/ Resume(w)
    \/ Done

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
InOrderGapFreeNoDuplicates ==
    \A w \in Watcher :
        \A k \in 1..Len(received[w]) : received[w][k] = startRev[w] + k - 1

CompactedOnlyWhenGone ==
    \A w \in Watcher : status[w] = "compacted" => next[w] < compacted

ExactResume ==
    \A w \in Watcher : status[w] \in {"active", "catchup", "disconnected"} =>
        next[w] = startRev[w] + Len(received[w])

\* Liveness: a watcher that stays connected eventually receives every revision or ends compacted.
Fairness == \A w \in Watcher : WF_vars(CatchUp(w) \/ Lapped(w) \/ Behind(w) \/ Poll(w))
LiveSpec == Spec /\ Fairness
EventuallyCaughtUp ==
    \A w \in Watcher :
        [](status[w] \in {"active", "catchup"} =>
             <>(status[w] \notin {"active", "catchup"} \/ next[w] > revision))
=============================================================================
