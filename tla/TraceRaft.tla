------------------------------ MODULE TraceRaft ------------------------------
(***************************************************************************)
(* Trace validation: does a behaviour of the implementation match Raft.tla?*)
(*                                                                         *)
(* The implementation (the seeded simulation, or a real multi-process run) *)
(* writes one NDJSON object per protocol step, in this spec's vocabulary   *)
(* (`./kplane check raft --simulate --trace-out trace.ndjson`):            *)
(*   {"seq":7,"event":"Receive","node":"s2",                               *)
(*    "msg":{"type":"RequestVoteRequest","source":"s1","dest":"s2",        *)
(*           "term":2,"prevote":false},                                    *)
(*    "post":{"term":2,"state":"Follower","commitIndex":0,"logLength":1}}  *)
(* event is one of Timeout, StartElection, BecomeLeader, ClientRequest,    *)
(* AdvanceCommitIndex, SendRequestVote, SendAppendEntries, Receive, Drop,  *)
(* Restart, CheckQuorum. TLC replays the trace: each line must be a step   *)
(* of Raft's Next by the named server that leaves that server in the      *)
(* logged post-state. TraceMatched fails at the first line no step can     *)
(* explain. Needs the CommunityModules (Json, IOUtils) next to TLC.        *)
(*                                                                         *)
(* Limitation: Raft.tla sends at most one entry per AppendEntries; an      *)
(* implementation that batches entries must log one SendAppendEntries per  *)
(* entry (the exporter splits batches) or the step will not match.         *)
(***************************************************************************)
EXTENDS Raft, Json, IOUtils, Sequences, TLC

TraceFile == IF "TRACE" \in DOMAIN IOEnv THEN IOEnv.TRACE ELSE "trace.ndjson"
Trace == ndJsonDeserialize(TraceFile)

VARIABLE l    \* index of the next trace line to explain

TraceServer == {Trace[k].node : k \in 1..Len(Trace)}

TraceInit ==
    /\ l = 1
    /\ Init

Event == Trace[l]

MatchesMsg(m, e) ==
    /\ m.mtype = e.msg.type
    /\ m.msource = e.msg.source
    /\ m.mdest = e.msg.dest
    /\ m.mterm = e.msg.term

Step(e) ==
    LET i == e.node IN
    \/ e.event = "Timeout"            /\ Timeout(i)
    \/ e.event = "StartElection"      /\ StartElection(i)
    \/ e.event = "BecomeLeader"       /\ BecomeLeader(i)
    \/ e.event = "ClientRequest"      /\ \E v \in Value : ClientRequest(i, v)
    \/ e.event = "AdvanceCommitIndex" /\ AdvanceCommitIndex(i)
    \/ e.event = "SendRequestVote"    /\ RequestVote(i, e.msg.dest)
    \/ e.event = "SendAppendEntries"  /\ AppendEntries(i, e.msg.dest)
    \/ e.event = "Receive"            /\ \E m \in DOMAIN messages : MatchesMsg(m, e) /\ Receive(m)
    \/ e.event = "Drop"               /\ \E m \in DOMAIN messages : MatchesMsg(m, e) /\ DropMessage(m)
    \/ e.event = "Restart"            /\ Restart(i)
    \/ e.event = "CheckQuorum"        /\ CheckQuorumTick(i)

PostStateMatches(e) ==
    /\ currentTerm'[e.node] = e.post.term
    /\ state'[e.node] = e.post.state
    /\ commitIndex'[e.node] = e.post.commitIndex
    /\ Len(log'[e.node]) = e.post.logLength

TraceNext ==
    /\ l <= Len(Trace)
    /\ Step(Event)
    /\ PostStateMatches(Event)
    /\ l' = l + 1

TraceSpec == TraceInit /\ [][TraceNext]_<<vars, l>>

\* Every line was explained: once TLC has no other state left to try, l is past the end.
TraceMatched ==
    [](l <= Len(Trace) => [](TLCGet("queue") = 1 \/ l > Len(Trace)))
=============================================================================
