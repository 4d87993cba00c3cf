------------------------------ MODULE TraceRaft ------------------------------
(***************************************************************************)
(* Trace validation: does a behaviour of the implementation match Raft.tla?*)
(*                                                                         *)
(* The Raft core reports its steps to a tracer (io.kplane.raft.RaftTracer) *)
(* and NdjsonTraceWriter writes one NDJSON object per step:                *)
(*   ./kplane check raft --simulate --trace-out sim.ndjson   (seeds 1..N) *)
(*   ./kplane store ... --trace-out nI.ndjson        (one file per member) *)
(* e.g.                                                                    *)
(*   {"seq":7,"event":"Receive","node":"s2",                               *)
(*    "msg":{"type":"RequestVoteRequest","source":"s1","dest":"s2",        *)
(*           "term":2,"prevote":false,"logTerm":1,"index":1,"commit":0,    *)
(*           "reject":false,"rejectHint":0},                               *)
(*    "post":{"term":1,"state":"Follower","commitIndex":1,"logLength":1,   *)
(*            "vote":null}}                                                *)
(* Events, in the order they happen inside a node:                         *)
(*   Restart            started from storage; "log" holds snapIndex,       *)
(*                      snapTerm and the entries' terms run-length encoded *)
(*   Timeout            -> PreCandidate (or Candidate without PreVote, or  *)
(*                      for a leadership transfer: "transfer":true)        *)
(*   StartElection      PreCandidate -> Candidate                          *)
(*   BecomeLeader       Candidate -> Leader, empty entry appended          *)
(*   BecomeFollower     step-down (newer term, lost election, CheckQuorum) *)
(*   ClientRequest      leader appended "entries" entries                  *)
(*   AdvanceCommitIndex commit index advanced                              *)
(*   CheckQuorum        leader's check-quorum tick: "post" is the state    *)
(*                      at the check (Leader); a step-down follows as a    *)
(*                      BecomeFollower line                                *)
(*   ApplyConfChange    a configuration change was applied ("voters":     *)
(*                      the configuration after it; not in Raft.tla)       *)
(*   SendRequestVote, SendAppendEntries, SendHeartbeat, SendSnapshot,      *)
(*   Send, Reply        a message was created (Reply: a response)          *)
(*   Receive            a message is taken from the network: "post" is     *)
(*                      the state BEFORE handling it; the handling's       *)
(*                      effects follow as BecomeFollower/Reply/... lines   *)
(*   Drop, Duplicate    the (simulated) network lost/duplicated "msg"      *)
(* Message types: Raft.tla's four (RequestVoteRequest/Response with        *)
(* "prevote", AppendEntriesRequest/Response) and, outside the spec,        *)
(* Heartbeat(Response), Snapshot, ReadIndex(Response), TimeoutNow,         *)
(* TransferLeader, Proposal. Request fields: index/logTerm are the         *)
(* candidate's last entry or the append's previous entry; entries, and     *)
(* entryTerms run-length encoded; commit. Files of several members carry   *)
(* "ts" (microseconds) and "member" and are merged by ts.                  *)
(*                                                                         *)
(* Here a Receive line is one spec step: Receive(m), which in Raft.tla     *)
(* also sends the reply and updates term/role/log/commit. The lines the   *)
(* handling emits after it (BecomeFollower, Reply, a follower's            *)
(* AdvanceCommitIndex) are stuttering steps whose role and term must       *)
(* already be the spec's; a Reply of Raft.tla's types must match a reply  *)
(* the spec sent (type, ends, term, success, index). Appends are checked   *)
(* against the leader's log (not the spec's nextIndex, which the           *)
(* implementation replaces with probing and reject hints); a follower     *)
(* handles a batch of entries as etcd does. Trace-level actions beyond    *)
(* Raft.tla's Next: GiveUp (a (pre)candidate that lost its election        *)
(* returns to Follower), TraceRestart (the commit index comes back from    *)
(* the durable hard state, and a log suffix that was never persisted is   *)
(* lost), heartbeats (commit from the leader; responses count for          *)
(* CheckQuorum) and snapshot installs (the follower takes the sender's    *)
(* log up to the snapshot index, which must be in it with the snapshot's  *)
(* term, or only advances its commit when it has that entry).              *)
(* A CheckQuorum line is CheckQuorumTick: like a Receive, its "post" is    *)
(* the state when the tick is taken, and the step-down it may cause is    *)
(* the following BecomeFollower line, a stutter. So a leader that heard   *)
(* from no quorum must step down there, and one that did must not.        *)
(*                                                                         *)
(* How kplane runs it: `./kplane check --tlc trace FILE...` converts each *)
(* run (one seed of a simulation file, or the member files of a cluster   *)
(* merged by ts) into a module defining TraceLog (TlaTraceModule.java)    *)
(* and runs TLC with TraceSpec. The trace is explained when TLC reaches   *)
(* l = Len(TraceLog) + 1, i.e. the depth of its search is Len + 1; a      *)
(* shallower search means line `depth` has no explanation in any state    *)
(* TLC reached.                                                            *)
(*                                                                         *)
(* Limits, so that a failing replay is read correctly:                     *)
(* - Membership changes and read-index are not in Raft.tla; leadership    *)
(*   transfer's election skips PreVote (Timeout with "transfer":true) and  *)
(*   is explained only right after the follower received the TimeoutNow   *)
(*   its leader sent in the follower's term (TransferTimeout).             *)
(* - The implementation's lease (it ignores vote requests while it heard  *)
(*   from a leader within an election timeout; a leader is in its own     *)
(*   lease) is judged permissively: with CheckQuorum a vote request is    *)
(*   handled either in the lease or out of it.                            *)
(* - A run whose nodes leave the initial configuration (a membership      *)
(*   change: a node outside it, or voters other than it on any line, e.g. *)
(*   an ApplyConfChange) is not replayed: kplane reports it as skipped.   *)
(* - A Restart line's vote is not read: the first Restart of each node    *)
(*   must be a new member (votedFor = Nil); entries below a first         *)
(*   Restart's snapshot are taken to have the snapshot's term.            *)
(* - Entries carry no values in the trace: every value is Nil ("none").   *)
(***************************************************************************)
EXTENDS Raft, Sequences, Naturals, TLC

\* The trace: a sequence of records, one per line, every record with the same fields:
\*   [event, node, msg |-> [type, source, dest, term, prevote, index, logTerm, commit, reject,
\*    entryTerms, snapIndex, snapTerm], post |-> [term, state, commitIndex, logLength], entries, snapIndex, snapTerm,
\*    logTerms, transfer]   (entryTerms/logTerms: one term per entry; absent fields are 0, "", "none" or
\*    FALSE; transfer: a Timeout line's election is a leadership transfer's).
CONSTANT TraceLog
Trace == TraceLog

VARIABLE l    \* index of the next trace line to explain

-----------------------------------------------------------------------------
(* Values of the trace.                                                   *)
IsFirstRestart(k) ==
    /\ Trace[k].event = "Restart"
    /\ \A k2 \in 1..(k - 1) : Trace[k2].node /= Trace[k].node

FirstRestart(i) == Trace[CHOOSE k \in 1..Len(Trace) : Trace[k].node = i /\ IsFirstRestart(k)]

NilEntry(t) == [term |-> t, value |-> Nil]

\* Entries below a snapshot are not in the trace: they are taken to have the snapshot's term.
LogOf(e) == [n \in 1..e.snapIndex |-> NilEntry(e.snapTerm)] \o [n \in 1..Len(e.logTerms) |-> NilEntry(e.logTerms[n])]

\* The message of a line, matched against the spec's messages by the fields both have.
MatchesMsg(m, e) ==
    /\ m.mtype = e.msg.type
    /\ m.msource = e.msg.source
    /\ m.mdest = e.msg.dest
    /\ m.mterm = e.msg.term
    /\ m.mtype \in {RequestVoteRequest, RequestVoteResponse} => m.mprevote = e.msg.prevote
    /\ m.mtype = RequestVoteRequest =>
          m.mlastLogIndex = e.msg.index /\ m.mlastLogTerm = e.msg.logTerm
    /\ m.mtype = AppendEntriesRequest =>
          /\ m.mprevLogIndex = e.msg.index /\ m.mprevLogTerm = e.msg.logTerm
          /\ Len(m.mentries) = Len(e.msg.entryTerms)
          /\ m.mcommitIndex = e.msg.commit
    /\ m.mtype = RequestVoteResponse => m.mvoteGranted = ~e.msg.reject
    /\ m.mtype = AppendEntriesResponse =>
          \/ /\ m.msuccess = ~e.msg.reject
             /\ m.msuccess => m.mmatchIndex = e.msg.index
          \/ m.mmatchIndex = 0 /\ e.msg.index = 0   \* to a stale leader: etcd says no more than its term

SpecType(e) == e.msg.type \in {RequestVoteRequest, RequestVoteResponse,
                               AppendEntriesRequest, AppendEntriesResponse}

-----------------------------------------------------------------------------
(* Trace-level actions beyond Raft.tla's Next.                            *)

\* The leader appends the "entries" client entries of one ClientRequest line.
ClientRequests(i, k) ==
    /\ state[i] = Leader
    /\ log' = [log EXCEPT ![i] = @ \o [n \in 1..k |-> NilEntry(currentTerm[i])]]
    /\ matchIndex' = [matchIndex EXCEPT ![i][i] = Len(log[i]) + k]
    /\ UNCHANGED <<currentTerm, votedFor, state, commitIndex, votesGranted, nextIndex,
                   recentlyActive, leaderContact, messages, historyVars>>

\* The leader sends the append it logged: previous entry and entries from its own log, with the
\* terms the line reports.
SendAppendAsLogged(i, e) ==
    LET prev == e.msg.index
        n    == Len(e.msg.entryTerms)
    IN /\ state[i] = Leader
       /\ e.msg.term = currentTerm[i]
       /\ prev + n <= Len(log[i])
       /\ prev > 0 => log[i][prev].term = e.msg.logTerm
       /\ \A k \in 1..n : log[i][prev + k].term = e.msg.entryTerms[k]
       /\ Send([mtype         |-> AppendEntriesRequest,
                mterm         |-> currentTerm[i],
                mprevLogIndex |-> prev,
                mprevLogTerm  |-> e.msg.logTerm,
                mentries      |-> SubSeq(log[i], prev + 1, prev + n),
                mcommitIndex  |-> e.msg.commit,
                msource       |-> i,
                mdest         |-> e.msg.dest])
       /\ UNCHANGED <<persistentVars, volatileVars, historyVars>>

\* A (pre)candidate that lost its election returns to Follower in the same term.
GiveUp(i) ==
    /\ state[i] \in {PreCandidate, Candidate}
    /\ state' = [state EXCEPT ![i] = Follower]
    /\ UNCHANGED <<persistentVars, commitIndex, votesGranted, nextIndex, matchIndex,
                   recentlyActive, leaderContact, messages, historyVars>>

\* Restart as the implementation does it: the commit index is the one in the durable hard state (at
\* most what the node had), and entries that were never persisted are gone.
TraceRestart(i, e) ==
    /\ e.post.commitIndex <= commitIndex[i]
    /\ e.post.logLength <= Len(log[i])
    /\ e.post.commitIndex <= e.post.logLength
    /\ log'            = [log EXCEPT ![i] = SubSeq(@, 1, e.post.logLength)]
    /\ state'          = [state EXCEPT ![i] = Follower]
    /\ commitIndex'    = [commitIndex EXCEPT ![i] = e.post.commitIndex]
    /\ votesGranted'   = [votesGranted EXCEPT ![i] = {}]
    /\ nextIndex'      = [nextIndex EXCEPT ![i] = [j \in Server |-> 1]]
    /\ matchIndex'     = [matchIndex EXCEPT ![i] = [j \in Server |-> 0]]
    /\ recentlyActive' = [recentlyActive EXCEPT ![i] = {}]
    /\ leaderContact'  = [leaderContact EXCEPT ![i] = FALSE]
    /\ UNCHANGED <<currentTerm, votedFor, messages, historyVars>>

\* A heartbeat response (not in Raft.tla) tells the leader its follower is alive.
ReceiveHeartbeatResponse(i, e) ==
    /\ IF state[i] = Leader /\ e.msg.term = currentTerm[i]
       THEN recentlyActive' = [recentlyActive EXCEPT ![i] = @ \cup {e.msg.source}]
       ELSE UNCHANGED recentlyActive
    /\ UNCHANGED <<persistentVars, state, commitIndex, votesGranted, nextIndex, matchIndex,
                   leaderContact, messages, historyVars>>

\* From a stale leader (a heartbeat or snapshot of an older term): i only tells its term, in an
\* AppendEntriesResponse, as etcd does with CheckQuorum.
TellStaleLeader(i, e) ==
    /\ Send([mtype |-> AppendEntriesResponse, mterm |-> currentTerm[i], msuccess |-> FALSE,
             mmatchIndex |-> 0, msource |-> i, mdest |-> e.msg.source])
    /\ UNCHANGED <<persistentVars, volatileVars, historyVars>>

\* A heartbeat (not in Raft.tla): newer term adopted, follower, commit from the leader.
ReceiveHeartbeat(i, e) ==
    IF e.msg.term < currentTerm[i] THEN TellStaleLeader(i, e) ELSE
    /\ e.msg.term >= currentTerm[i]
    /\ currentTerm' = [currentTerm EXCEPT ![i] = e.msg.term]
    /\ votedFor' = IF e.msg.term > currentTerm[i] THEN [votedFor EXCEPT ![i] = Nil] ELSE votedFor
    /\ state' = [state EXCEPT ![i] = Follower]
    /\ leaderContact' = [leaderContact EXCEPT ![i] = TRUE]
    /\ commitIndex' = [commitIndex EXCEPT ![i] = Max(@, Min(e.msg.commit, Len(log[i])))]
    /\ UNCHANGED <<log, votesGranted, nextIndex, matchIndex, recentlyActive, messages, historyVars>>

\* A snapshot from e.msg.source (not in Raft.tla), as etcd installs it: up to i's commit index
\* nothing to do; an entry i has with the snapshot's term only advances the commit index; else
\* i's log becomes the sender's up to the snapshot index. The reply says how far i's log goes.
ReceiveSnapshot(i, e) ==
    LET src == e.msg.source
        idx == e.msg.snapIndex
        term == Max(currentTerm[i], e.msg.term)
        have == idx <= Len(log[i]) /\ log[i][idx].term = e.msg.snapTerm
        newLog == IF idx <= commitIndex[i] \/ have THEN log[i] ELSE SubSeq(log[src], 1, idx)
        newCommit == Max(commitIndex[i], idx)
        replyIndex == IF idx <= commitIndex[i] \/ have THEN newCommit ELSE idx
    IN IF e.msg.term < currentTerm[i] THEN TellStaleLeader(i, e) ELSE
       /\ 1 <= idx /\ idx <= Len(log[src]) /\ log[src][idx].term = e.msg.snapTerm
       /\ currentTerm' = [currentTerm EXCEPT ![i] = term]
       /\ votedFor' = IF e.msg.term > currentTerm[i] THEN [votedFor EXCEPT ![i] = Nil] ELSE votedFor
       /\ state' = [state EXCEPT ![i] = Follower]
       /\ leaderContact' = [leaderContact EXCEPT ![i] = TRUE]
       /\ log' = [log EXCEPT ![i] = newLog]
       /\ commitIndex' = [commitIndex EXCEPT ![i] = newCommit]
       /\ Send([mtype |-> AppendEntriesResponse, mterm |-> term, msuccess |-> TRUE,
                mmatchIndex |-> replyIndex, msource |-> i, mdest |-> src])
       /\ UNCHANGED <<votesGranted, nextIndex, matchIndex, recentlyActive, historyVars>>

\* The last line before line k on which node i received a message (0: none).
LastReceive(i, k) ==
    LET ks == {k2 \in 1..(k - 1) : Trace[k2].node = i /\ Trace[k2].event = "Receive"}
    IN IF ks = {} THEN 0 ELSE MaxOf(ks)

\* A leadership transfer's election (not in Raft.tla), as etcd-io/raft runs it: the leader sends
\* TimeoutNow to a follower that has its whole log, and the follower campaigns at once as a
\* Candidate for term + 1 - no PreVote, and its vote requests bypass the voters' lease (which
\* TraceReceive judges permissively). Only a Follower does it (a (pre)candidate ignores
\* TimeoutNow), only for the TimeoutNow of its current term that it has just received, and
\* once per TimeoutNow. Any other "transfer" campaign is unexplained.
TransferTimeout(i) ==
    LET k == LastReceive(i, l)
    IN /\ k > 0
       /\ Trace[k].msg.type = "TimeoutNow"
       /\ Trace[k].msg.term = currentTerm[i]
       /\ ~\E k2 \in (k + 1)..(l - 1) : Trace[k2].node = i /\ Trace[k2].event \in {"Timeout", "Restart"}
       /\ state[i] = Follower
       /\ state'         = [state EXCEPT ![i] = Candidate]
       /\ currentTerm'   = [currentTerm EXCEPT ![i] = @ + 1]
       /\ votedFor'      = [votedFor EXCEPT ![i] = i]
       /\ votesGranted'  = [votesGranted EXCEPT ![i] = {i}]
       /\ leaderContact' = [leaderContact EXCEPT ![i] = FALSE]
       /\ UNCHANGED <<log, commitIndex, nextIndex, matchIndex, recentlyActive, messages, historyVars>>

\* TimeoutNow (not in Raft.tla) is sent only by a leader in its term, and received only if sent.
SendTimeoutNow(i, e) ==
    /\ state[i] = Leader
    /\ e.msg.term = currentTerm[i]
    /\ UNCHANGED vars

ReceiveTimeoutNow(e) ==
    /\ \E k \in 1..(l - 1) : Trace[k].event = "Send" /\ Trace[k].msg = e.msg
    /\ UNCHANGED vars

\* Receive(m) of Raft.tla, but with CheckQuorum a vote request may find the receiver in a lease
\* or not: the implementation's lease is a matter of ticks the trace does not show (a follower's
\* runs out on a fixed timeout before its randomized election timer fires; a leader is in its own
\* lease and ignores a disruptive candidate, which Raft.tla's leaderContact does not say).
TraceReceive(m) ==
    IF m.mtype = RequestVoteRequest
    THEN \E lease \in (IF CheckQuorum THEN BOOLEAN ELSE {FALSE}) : HandleRequestVoteRequestIn(m.mdest, m, lease)
    ELSE Receive(m)

-----------------------------------------------------------------------------
(* One line = one step.                                                   *)
Step(e) ==
    LET i == e.node IN
    \/ e.event = "Restart"            /\ TraceRestart(i, e)
    \/ e.event = "Timeout"            /\ IF e.transfer THEN TransferTimeout(i) ELSE Timeout(i)
    \/ e.event = "StartElection"      /\ StartElection(i)
    \/ e.event = "BecomeLeader"       /\ BecomeLeader(i)
    \* Already a follower when the Receive or CheckQuorum step before it deposed i; a leader's
    \* step-down in its own term is only the CheckQuorum line's (every such tick is traced).
    \/ e.event = "BecomeFollower"     /\ \/ state[i] = Follower /\ UNCHANGED vars
                                         \/ GiveUp(i)
    \/ e.event = "ClientRequest"      /\ ClientRequests(i, e.entries)
    \/ e.event = "AdvanceCommitIndex" /\ IF state[i] = Leader THEN AdvanceCommitIndex(i)
                                         ELSE UNCHANGED vars   \* done by the Receive step
    \/ e.event = "CheckQuorum"        /\ CheckQuorumTick(i)
    \/ e.event = "ApplyConfChange"    /\ UNCHANGED vars   \* kplane replays only runs whose voters never change
    \/ e.event = "SendRequestVote"    /\ RequestVote(i, e.msg.dest)
                                      /\ \E m \in DOMAIN messages' : MatchesMsg(m, e)
    \/ e.event = "SendAppendEntries"  /\ SendAppendAsLogged(i, e)
    \/ e.event = "Reply"              /\ UNCHANGED vars   \* sent by the Receive step
                                      /\ (SpecType(e) => \E m \in DOMAIN messages : MatchesMsg(m, e))
    \/ e.event \in {"SendHeartbeat", "SendSnapshot", "Send"} /\ IF e.msg.type = "TimeoutNow"
                                                                THEN SendTimeoutNow(i, e)
                                                                ELSE UNCHANGED vars
    \/ e.event = "Receive"            /\ IF SpecType(e)
                                         THEN \E m \in DOMAIN messages : MatchesMsg(m, e) /\ TraceReceive(m)
                                         ELSE IF e.msg.type = "Snapshot"
                                         THEN ReceiveSnapshot(i, e)
                                         ELSE IF e.msg.type = "Heartbeat"
                                         THEN ReceiveHeartbeat(i, e)
                                         ELSE IF e.msg.type = "HeartbeatResponse"
                                         THEN ReceiveHeartbeatResponse(i, e)
                                         ELSE IF e.msg.type = "TimeoutNow"
                                         THEN ReceiveTimeoutNow(e)
                                         ELSE UNCHANGED vars
    \/ e.event = "Drop"               /\ IF SpecType(e)
                                         THEN \E m \in DOMAIN messages : MatchesMsg(m, e) /\ DropMessage(m)
                                         ELSE UNCHANGED vars
    \/ e.event = "Duplicate"          /\ IF SpecType(e)
                                         THEN \E m \in DOMAIN messages : MatchesMsg(m, e) /\ DuplicateMessage(m)
                                         ELSE UNCHANGED vars

\* Which state a line's "post" describes: after the step, except Receive (before the handling) and
\* CheckQuorum (at the check: the core emits the line before it decides, and a step-down follows as
\* BecomeFollower, as etcd-io/raft's MsgCheckQuorum calls becomeFollower).
PostStateMatches(e) ==
    LET i == e.node IN
    IF e.event \in {"Drop", "Duplicate"} THEN TRUE
    ELSE IF e.event = "Receive"
    THEN /\ currentTerm[i] = e.post.term
         /\ state[i] = e.post.state
    ELSE IF e.event = "CheckQuorum"
    THEN /\ currentTerm[i] = e.post.term
         /\ state[i] = e.post.state
         /\ commitIndex[i] = e.post.commitIndex
         /\ Len(log[i]) = e.post.logLength
    ELSE IF e.event \in {"BecomeFollower", "Reply"}
            \/ (e.event = "AdvanceCommitIndex" /\ e.post.state /= Leader)
    THEN /\ currentTerm'[i] = e.post.term
         /\ state'[i] = e.post.state
    ELSE /\ currentTerm'[i] = e.post.term
         /\ state'[i] = e.post.state
         /\ commitIndex'[i] = e.post.commitIndex
         /\ Len(log'[i]) = e.post.logLength

-----------------------------------------------------------------------------
TraceInit ==
    /\ l = 1
    /\ currentTerm    = [i \in Server |-> FirstRestart(i).post.term]
    /\ votedFor       = [i \in Server |-> Nil]
    /\ log            = [i \in Server |-> LogOf(FirstRestart(i))]
    /\ state          = [i \in Server |-> Follower]
    /\ commitIndex    = [i \in Server |-> FirstRestart(i).post.commitIndex]
    /\ votesGranted   = [i \in Server |-> {}]
    /\ nextIndex      = [i \in Server |-> [j \in Server |-> Len(LogOf(FirstRestart(i))) + 1]]
    /\ matchIndex     = [i \in Server |-> [j \in Server |-> 0]]
    /\ recentlyActive = [i \in Server |-> {}]
    /\ leaderContact  = [i \in Server |-> FALSE]
    /\ messages       = EmptyBag
    /\ elected        = {}
    /\ committed      = {}

TraceNext ==
    /\ l <= Len(Trace)
    /\ IF IsFirstRestart(l)
       THEN UNCHANGED vars       \* the initial state, taken by TraceInit
       ELSE /\ Step(Trace[l])
            /\ PostStateMatches(Trace[l])
    /\ l' = l + 1

TraceSpec == TraceInit /\ [][TraceNext]_<<vars, l>>

\* (No property here: kplane reads TLC's search depth, which is Len(Trace) + 1 exactly when
\* some behaviour explained every line.)
=============================================================================
