-------------------------------- MODULE Raft --------------------------------
(***************************************************************************)
(* Raft consensus with PreVote and CheckQuorum, as kplane's core runs it. *)
(*                                                                         *)
(* Terms, votes, log replication and commitment follow the Raft paper.    *)
(* Two etcd-style extensions that the public etcd/Ongaro specs leave out: *)
(*   PreVote     - a server whose election timer fires first asks for     *)
(*                 votes for term+1 WITHOUT bumping its term; only a      *)
(*                 quorum of pre-votes lets it start a real election, so  *)
(*                 a partitioned server cannot disrupt a healthy leader.  *)
(*   CheckQuorum - a leader that has not heard from a quorum within an    *)
(*                 election timeout steps down; a follower that heard     *)
(*                 from a live leader recently ignores (pre)vote requests *)
(*                 (the "leader lease" that makes PreVote safe to combine *)
(*                 with leadership transfer and lease-based reads).       *)
(* The network is a bag: messages can be lost, duplicated and reordered.  *)
(* Servers crash and restart keeping only currentTerm, votedFor and log.  *)
(*                                                                         *)
(* Time is abstract: an election timeout is the action Timeout(i), a      *)
(* leader's check-quorum tick is CheckQuorumTick(i); both may fire at any *)
(* moment, which over-approximates every timing the implementation has.   *)
(*                                                                         *)
(* Invariant names are shared with the implementation explorer            *)
(* (io.kplane.check): ElectionSafety, LogMatching, LeaderCompleteness,    *)
(* StateMachineSafety, and the action property LeaderAppendOnly.          *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets, Sequences, Bags, TLC

CONSTANTS
    Server,         \* set of server ids
    Value,          \* set of client values
    Nil,            \* "no server"
    PreVote,        \* BOOLEAN: PreVote enabled
    CheckQuorum     \* BOOLEAN: CheckQuorum (and leader lease for votes) enabled

CONSTANTS Follower, PreCandidate, Candidate, Leader
CONSTANTS RequestVoteRequest, RequestVoteResponse,
          AppendEntriesRequest, AppendEntriesResponse

\* Persistent state (survives Restart).
VARIABLES currentTerm, votedFor, log
\* Volatile state.
VARIABLES state, commitIndex, votesGranted, nextIndex, matchIndex,
          recentlyActive,   \* leader: servers heard from since the last check-quorum tick
          leaderContact     \* follower: heard from the current leader since its timer last fired
\* The network: a bag of messages.
VARIABLE messages
\* History variables (never read by the protocol, only by invariants).
VARIABLES elected,          \* set of <<term, server>> for every election won
          committed         \* set of [index, entry, term] entries known committed, with the term of commitment

persistentVars == <<currentTerm, votedFor, log>>
volatileVars   == <<state, commitIndex, votesGranted, nextIndex, matchIndex, recentlyActive, leaderContact>>
historyVars    == <<elected, committed>>
vars == <<persistentVars, volatileVars, messages, historyVars>>

-----------------------------------------------------------------------------
Quorum == {Q \in SUBSET Server : Cardinality(Q) * 2 > Cardinality(Server)}
LastTerm(xlog) == IF Len(xlog) = 0 THEN 0 ELSE xlog[Len(xlog)].term
Min(a, b) == IF a < b THEN a ELSE b
Max(a, b) == IF a > b THEN a ELSE b
MaxOf(S) == CHOOSE x \in S : \A y \in S : y <= x

Send(m)    == messages' = messages (+) SetToBag({m})
Discard(m) == messages' = messages (-) SetToBag({m})
Reply(resp, req) == messages' = (messages (-) SetToBag({req})) (+) SetToBag({resp})

\* A candidate's log is at least as up to date as i's (Raft paper, section 5.4.1).
LogOk(i, lastLogTerm, lastLogIndex) ==
    \/ lastLogTerm > LastTerm(log[i])
    \/ /\ lastLogTerm = LastTerm(log[i])
       /\ lastLogIndex >= Len(log[i])

-----------------------------------------------------------------------------
Init ==
    /\ currentTerm    = [i \in Server |-> 0]
    /\ votedFor       = [i \in Server |-> Nil]
    /\ log            = [i \in Server |-> << >>]
    /\ state          = [i \in Server |-> Follower]
    /\ commitIndex    = [i \in Server |-> 0]
    /\ votesGranted   = [i \in Server |-> {}]
    /\ nextIndex      = [i \in Server |-> [j \in Server |-> 1]]
    /\ matchIndex     = [i \in Server |-> [j \in Server |-> 0]]
    /\ recentlyActive = [i \in Server |-> {}]
    /\ leaderContact  = [i \in Server |-> FALSE]
    /\ messages       = EmptyBag
    /\ elected        = {}
    /\ committed      = {}

-----------------------------------------------------------------------------
(* Crash and restart: volatile state is lost, persistent state is kept.  *)
Restart(i) ==
    /\ state'          = [state EXCEPT ![i] = Follower]
    /\ commitIndex'    = [commitIndex EXCEPT ![i] = 0]
    /\ votesGranted'   = [votesGranted EXCEPT ![i] = {}]
    /\ nextIndex'      = [nextIndex EXCEPT ![i] = [j \in Server |-> 1]]
    /\ matchIndex'     = [matchIndex EXCEPT ![i] = [j \in Server |-> 0]]
    /\ recentlyActive' = [recentlyActive EXCEPT ![i] = {}]
    /\ leaderContact'  = [leaderContact EXCEPT ![i] = FALSE]
    /\ UNCHANGED <<persistentVars, messages, historyVars>>

(* Election timer fires: start a pre-election (PreVote) or an election.  *)
Timeout(i) ==
    /\ state[i] \in {Follower, PreCandidate, Candidate}
    /\ IF PreVote
       THEN /\ state' = [state EXCEPT ![i] = PreCandidate]
            /\ UNCHANGED <<currentTerm, votedFor>>
       ELSE /\ state' = [state EXCEPT ![i] = Candidate]
            /\ currentTerm' = [currentTerm EXCEPT ![i] = @ + 1]
            /\ votedFor' = [votedFor EXCEPT ![i] = i]
    /\ votesGranted'  = [votesGranted EXCEPT ![i] = {i}]
    /\ leaderContact' = [leaderContact EXCEPT ![i] = FALSE]
    /\ UNCHANGED <<log, commitIndex, nextIndex, matchIndex, recentlyActive, messages, historyVars>>

(* A pre-candidate with a quorum of pre-votes starts the real election.  *)
StartElection(i) ==
    /\ state[i] = PreCandidate
    /\ votesGranted[i] \in Quorum
    /\ state'        = [state EXCEPT ![i] = Candidate]
    /\ currentTerm'  = [currentTerm EXCEPT ![i] = @ + 1]
    /\ votedFor'     = [votedFor EXCEPT ![i] = i]
    /\ votesGranted' = [votesGranted EXCEPT ![i] = {i}]
    /\ UNCHANGED <<log, commitIndex, nextIndex, matchIndex, recentlyActive, leaderContact, messages, historyVars>>

(* (Pre)candidate i asks j for a vote. Pre-votes carry the term i WOULD  *)
(* use (currentTerm + 1) without i having moved to it.                    *)
RequestVote(i, j) ==
    /\ i /= j
    /\ state[i] \in {PreCandidate, Candidate}
    /\ j \notin votesGranted[i]
    /\ Send([mtype         |-> RequestVoteRequest,
             mprevote      |-> state[i] = PreCandidate,
             mterm         |-> IF state[i] = PreCandidate THEN currentTerm[i] + 1 ELSE currentTerm[i],
             mlastLogTerm  |-> LastTerm(log[i]),
             mlastLogIndex |-> Len(log[i]),
             msource       |-> i,
             mdest         |-> j])
    /\ UNCHANGED <<persistentVars, volatileVars, historyVars>>

(* Leader i sends j an AppendEntries with at most one entry (a follower  *)
(* handles any number: trace validation replays batched appends).        *)
AppendEntries(i, j) ==
    /\ i /= j
    /\ state[i] = Leader
    /\ LET prevLogIndex == nextIndex[i][j] - 1
           prevLogTerm  == IF prevLogIndex > 0 THEN log[i][prevLogIndex].term ELSE 0
           lastEntry    == Min(Len(log[i]), nextIndex[i][j])
           entries      == SubSeq(log[i], nextIndex[i][j], lastEntry)
       IN Send([mtype         |-> AppendEntriesRequest,
                mterm         |-> currentTerm[i],
                mprevLogIndex |-> prevLogIndex,
                mprevLogTerm  |-> prevLogTerm,
                mentries      |-> entries,
                mcommitIndex  |-> Min(commitIndex[i], lastEntry),
                msource       |-> i,
                mdest         |-> j])
    /\ UNCHANGED <<persistentVars, volatileVars, historyVars>>

(* Candidate i with a quorum of votes becomes leader; it appends an empty *)
(* entry of its own term at once, as etcd does, so that it can commit.   *)
BecomeLeader(i) ==
    /\ state[i] = Candidate
    /\ votesGranted[i] \in Quorum
    /\ LET noop == [term |-> currentTerm[i], value |-> Nil]
       IN /\ log' = [log EXCEPT ![i] = Append(@, noop)]
          /\ state'          = [state EXCEPT ![i] = Leader]
          /\ nextIndex'      = [nextIndex EXCEPT ![i] = [j \in Server |-> Len(log[i]) + 1]]
          /\ matchIndex'     = [matchIndex EXCEPT ![i] = [j \in Server |-> IF j = i THEN Len(log[i]) + 1 ELSE 0]]
          /\ recentlyActive' = [recentlyActive EXCEPT ![i] = {i}]
          /\ elected'        = elected \cup {<<currentTerm[i], i>>}
    /\ UNCHANGED <<currentTerm, votedFor, commitIndex, votesGranted, leaderContact, messages, committed>>

(* Leader i accepts client value v.                                      *)
ClientRequest(i, v) ==
    /\ state[i] = Leader
    /\ log'        = [log EXCEPT ![i] = Append(@, [term |-> currentTerm[i], value |-> v])]
    /\ matchIndex' = [matchIndex EXCEPT ![i][i] = Len(log[i]) + 1]
    /\ UNCHANGED <<currentTerm, votedFor, state, commitIndex, votesGranted, nextIndex,
                   recentlyActive, leaderContact, messages, historyVars>>

(* Leader i commits the highest index replicated on a quorum, but only if *)
(* that entry is of its own term (Raft paper, section 5.4.2).             *)
AdvanceCommitIndex(i) ==
    /\ state[i] = Leader
    /\ LET Agree(n) == {k \in Server : matchIndex[i][k] >= n}
           agreeIndexes == {n \in 1..Len(log[i]) : Agree(n) \in Quorum}
           newCommit == IF /\ agreeIndexes /= {}
                           /\ log[i][MaxOf(agreeIndexes)].term = currentTerm[i]
                        THEN MaxOf(agreeIndexes)
                        ELSE commitIndex[i]
       IN /\ newCommit > commitIndex[i]
          /\ commitIndex' = [commitIndex EXCEPT ![i] = newCommit]
          /\ committed' = committed \cup
                {[index |-> n, entry |-> log[i][n], term |-> currentTerm[i]] : n \in 1..newCommit}
    /\ UNCHANGED <<persistentVars, state, votesGranted, nextIndex, matchIndex, recentlyActive,
                   leaderContact, messages, elected>>

(* CheckQuorum: once per election timeout the leader steps down unless   *)
(* it heard from a quorum (itself included) since the previous tick.     *)
CheckQuorumTick(i) ==
    /\ CheckQuorum
    /\ state[i] = Leader
    /\ IF recentlyActive[i] \in Quorum
       THEN state' = state
       ELSE state' = [state EXCEPT ![i] = Follower]
    /\ recentlyActive' = [recentlyActive EXCEPT ![i] = {i}]
    /\ UNCHANGED <<persistentVars, commitIndex, votesGranted, nextIndex, matchIndex,
                   leaderContact, messages, historyVars>>

-----------------------------------------------------------------------------
(* Message handlers.                                                     *)

\* Move to a higher term as follower, forgetting the vote.
UpdateTerm(i, t) ==
    /\ currentTerm' = [currentTerm EXCEPT ![i] = t]
    /\ votedFor'    = [votedFor EXCEPT ![i] = Nil]
    /\ state'       = [state EXCEPT ![i] = Follower]

\* A follower in contact with a live leader ignores vote requests (CheckQuorum lease).
InLease(i) == CheckQuorum /\ leaderContact[i]

\* `lease`: whether i is in a leader's lease (InLease(i) in the spec; trace validation also
\* tries FALSE, as the implementation's lease runs out on a fixed timeout before its randomized
\* election timer fires).
HandleRequestVoteRequestIn(i, m, lease) ==
    LET j == m.msource
        logOk == LogOk(i, m.mlastLogTerm, m.mlastLogIndex)
    IN
    IF m.mprevote
    THEN \* Pre-vote: never changes i's term or vote.
         LET grant == /\ m.mterm > currentTerm[i]
                      /\ logOk
                      /\ ~lease
         IN /\ Reply([mtype |-> RequestVoteResponse, mprevote |-> TRUE,
                      mterm |-> IF grant THEN m.mterm ELSE currentTerm[i],
                      mvoteGranted |-> grant, msource |-> i, mdest |-> j], m)
            /\ UNCHANGED <<persistentVars, volatileVars, historyVars>>
    ELSE IF lease /\ m.mterm > currentTerm[i]
    THEN /\ Discard(m)   \* ignored without even adopting the term
         /\ UNCHANGED <<persistentVars, volatileVars, historyVars>>
    ELSE LET term  == Max(currentTerm[i], m.mterm)
             voted == IF m.mterm > currentTerm[i] THEN Nil ELSE votedFor[i]
             grant == /\ m.mterm = term
                      /\ logOk
                      /\ voted \in {Nil, j}
         IN /\ currentTerm' = [currentTerm EXCEPT ![i] = term]
            /\ votedFor' = [votedFor EXCEPT ![i] = IF grant THEN j ELSE voted]
            /\ state' = IF m.mterm > currentTerm[i] THEN [state EXCEPT ![i] = Follower] ELSE state
            /\ Reply([mtype |-> RequestVoteResponse, mprevote |-> FALSE,
                      mterm |-> term, mvoteGranted |-> grant, msource |-> i, mdest |-> j], m)
            /\ UNCHANGED <<log, commitIndex, votesGranted, nextIndex, matchIndex,
                           recentlyActive, leaderContact, historyVars>>

HandleRequestVoteRequest(i, m) == HandleRequestVoteRequestIn(i, m, InLease(i))

HandleRequestVoteResponse(i, m) ==
    LET \* A granted pre-vote carries the term the pre-candidate WOULD use: not a newer term.
        adoptTerm == m.mterm > currentTerm[i] /\ ~(m.mprevote /\ m.mvoteGranted)
        counts == \/ m.mprevote /\ m.mvoteGranted /\ state[i] = PreCandidate
                     /\ m.mterm = currentTerm[i] + 1
                  \/ ~m.mprevote /\ m.mvoteGranted /\ state[i] = Candidate
                     /\ m.mterm = currentTerm[i]
    IN
    IF adoptTerm
    THEN /\ UpdateTerm(i, m.mterm)
         /\ Discard(m)
         /\ UNCHANGED <<log, commitIndex, votesGranted, nextIndex, matchIndex, recentlyActive,
                        leaderContact, historyVars>>
    ELSE IF counts
    THEN /\ votesGranted' = [votesGranted EXCEPT ![i] = @ \cup {m.msource}]
         /\ Discard(m)
         /\ UNCHANGED <<persistentVars, state, commitIndex, nextIndex, matchIndex, recentlyActive,
                        leaderContact, historyVars>>
    ELSE /\ Discard(m)    \* stale, rejected or irrelevant
         /\ UNCHANGED <<persistentVars, volatileVars, historyVars>>

HandleAppendEntriesRequest(i, m) ==
    LET j == m.msource
        term == Max(currentTerm[i], m.mterm)
        logOk == \/ m.mprevLogIndex = 0
                 \/ /\ m.mprevLogIndex <= Len(log[i])
                    /\ log[i][m.mprevLogIndex].term = m.mprevLogTerm
    IN
    IF m.mterm < currentTerm[i]
    THEN \* Stale leader: tell it the current term.
         /\ Reply([mtype |-> AppendEntriesResponse, mterm |-> currentTerm[i], msuccess |-> FALSE,
                   mmatchIndex |-> 0, msource |-> i, mdest |-> j], m)
         /\ UNCHANGED <<persistentVars, volatileVars, historyVars>>
    ELSE
    /\ currentTerm' = [currentTerm EXCEPT ![i] = term]
    /\ votedFor' = IF m.mterm > currentTerm[i] THEN [votedFor EXCEPT ![i] = Nil] ELSE votedFor
    /\ state' = [state EXCEPT ![i] = Follower]
    /\ leaderContact' = [leaderContact EXCEPT ![i] = TRUE]
    /\ IF m.mprevLogIndex < commitIndex[i]
       THEN \* Below i's commit index: nothing to check or append, i tells how far it has committed
            \* (as etcd does; the entries up to there are committed, hence the leader's).
            /\ Reply([mtype |-> AppendEntriesResponse, mterm |-> term, msuccess |-> TRUE,
                      mmatchIndex |-> commitIndex[i], msource |-> i, mdest |-> j], m)
            /\ UNCHANGED <<log, commitIndex>>
       ELSE IF ~logOk
       THEN /\ Reply([mtype |-> AppendEntriesResponse, mterm |-> term, msuccess |-> FALSE,
                      mmatchIndex |-> m.mprevLogIndex, msource |-> i, mdest |-> j], m)
            /\ UNCHANGED <<log, commitIndex>>
       ELSE LET \* Entries i lacks or has with another term (the first such one), then truncate there only:
                \* a stale, shorter request must not cut the log.
                Differs(k) == \/ m.mprevLogIndex + k > Len(log[i])
                              \/ log[i][m.mprevLogIndex + k].term /= m.mentries[k].term
                diffs == {k \in 1..Len(m.mentries) : Differs(k)}
                first == CHOOSE k \in diffs : \A k2 \in diffs : k <= k2
                newLog == IF diffs = {} THEN log[i]
                          ELSE SubSeq(log[i], 1, m.mprevLogIndex + first - 1)
                                  \o SubSeq(m.mentries, first, Len(m.mentries))
                lastNew == m.mprevLogIndex + Len(m.mentries)
            IN /\ log' = [log EXCEPT ![i] = newLog]
               /\ commitIndex' = [commitIndex EXCEPT ![i] = Max(@, Min(m.mcommitIndex, lastNew))]
               /\ Reply([mtype |-> AppendEntriesResponse, mterm |-> term, msuccess |-> TRUE,
                         mmatchIndex |-> lastNew, msource |-> i, mdest |-> j], m)
    /\ UNCHANGED <<votesGranted, nextIndex, matchIndex, recentlyActive, historyVars>>

HandleAppendEntriesResponse(i, m) ==
    \/ /\ m.mterm > currentTerm[i]
       /\ UpdateTerm(i, m.mterm)
       /\ Discard(m)
       /\ UNCHANGED <<log, commitIndex, votesGranted, nextIndex, matchIndex, recentlyActive,
                      leaderContact, historyVars>>
    \/ /\ m.mterm = currentTerm[i]
       /\ state[i] = Leader
       /\ LET j == m.msource IN
          /\ recentlyActive' = [recentlyActive EXCEPT ![i] = @ \cup {j}]
          /\ IF m.msuccess
             THEN /\ nextIndex'  = [nextIndex EXCEPT ![i][j] = Max(@, m.mmatchIndex + 1)]
                  /\ matchIndex' = [matchIndex EXCEPT ![i][j] = Max(@, m.mmatchIndex)]
             ELSE /\ nextIndex'  = [nextIndex EXCEPT ![i][j] = Max(@ - 1, 1)]
                  /\ UNCHANGED matchIndex
       /\ Discard(m)
       /\ UNCHANGED <<persistentVars, state, commitIndex, votesGranted, leaderContact, historyVars>>
    \/ /\ \/ m.mterm < currentTerm[i]
          \/ m.mterm = currentTerm[i] /\ state[i] /= Leader
       /\ Discard(m)
       /\ UNCHANGED <<persistentVars, volatileVars, historyVars>>

Receive(m) ==
    LET i == m.mdest IN
    \/ m.mtype = RequestVoteRequest    /\ HandleRequestVoteRequest(i, m)
    \/ m.mtype = RequestVoteResponse   /\ HandleRequestVoteResponse(i, m)
    \/ m.mtype = AppendEntriesRequest  /\ HandleAppendEntriesRequest(i, m)
    \/ m.mtype = AppendEntriesResponse /\ HandleAppendEntriesResponse(i, m)

(* Network faults. Reordering is implicit: any message in the bag can be *)
(* received next.                                                         *)
DuplicateMessage(m) ==
    /\ Send(m)
    /\ UNCHANGED <<persistentVars, volatileVars, historyVars>>

DropMessage(m) ==
    /\ Discard(m)
    /\ UNCHANGED <<persistentVars, volatileVars, historyVars>>

-----------------------------------------------------------------------------
Next ==
    \/ \E i \in Server : Restart(i)
    \/ \E i \in Server : Timeout(i)
    \/ \E i \in Server : StartElection(i)
    \/ \E i, j \in Server : RequestVote(i, j)
    \/ \E i \in Server : BecomeLeader(i)
    \/ \E i \in Server, v \in Value : ClientRequest(i, v)
    \/ \E i \in Server : AdvanceCommitIndex(i)
    \/ \E i, j \in Server : AppendEntries(i, j)
    \/ \E i \in Server : CheckQuorumTick(i)
    \/ \E m \in DOMAIN messages : Receive(m)
    \/ \E m \in DOMAIN messages : DuplicateMessage(m)
    \/ \E m \in DOMAIN messages : DropMessage(m)

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* Safety.                                                               *)

\* At most one leader is ever elected per term (over the whole history).
ElectionSafety ==
    \A e1, e2 \in elected : e1[1] = e2[1] => e1[2] = e2[2]

\* If two logs have an entry with the same index and term, they agree on every entry up to it.
LogMatching ==
    \A i, j \in Server : \A n \in 1..Min(Len(log[i]), Len(log[j])) :
        log[i][n].term = log[j][n].term => SubSeq(log[i], 1, n) = SubSeq(log[j], 1, n)

\* Every entry committed in a term is in the log of every leader of a later term.
LeaderCompleteness ==
    \A i \in Server : state[i] = Leader =>
        \A c \in committed : c.term < currentTerm[i] =>
            /\ Len(log[i]) >= c.index
            /\ log[i][c.index] = c.entry

\* No two servers apply different entries at the same index.
StateMachineSafety ==
    \A i, j \in Server : \A n \in 1..Min(commitIndex[i], commitIndex[j]) :
        log[i][n] = log[j][n]

\* A leader never rewrites or drops its own entries during its term (an action property).
LeaderAppendOnly ==
    [][\A i \in Server :
        (state[i] = Leader /\ state'[i] = Leader /\ currentTerm'[i] = currentTerm[i])
            => SubSeq(log'[i], 1, Len(log[i])) = log[i]]_vars

TypeOK ==
    /\ state \in [Server -> {Follower, PreCandidate, Candidate, Leader}]
    /\ currentTerm \in [Server -> Nat]
    /\ votedFor \in [Server -> Server \cup {Nil}]
    /\ commitIndex \in [Server -> Nat]

-----------------------------------------------------------------------------
(* Liveness. Raft's liveness rests on randomized timeouts letting one     *)
(* server time out alone. We state it for a stable, fault-free suffix     *)
(* from the initial state: no crashes, loss, duplicates or client         *)
(* requests; only the server Designated (the one randomization favoured) *)
(* times out, once, as a follower; it sends each peer at most one         *)
(* request at a time; delivery to every server is weakly fair. Then a     *)
(* leader is eventually elected. TLC checks it with MCRaftLiveness.cfg    *)
(* (`./kplane check --tlc raft-liveness`).                                 *)
CONSTANT Designated

LivenessRequestVote(j) ==
    /\ ~\E m \in DOMAIN messages : m.msource = Designated /\ m.mdest = j
    /\ RequestVote(Designated, j)

LivenessNext ==
    \/ state[Designated] = Follower /\ Timeout(Designated)
    \/ StartElection(Designated)
    \/ \E j \in Server : LivenessRequestVote(j)
    \/ BecomeLeader(Designated)
    \/ \E m \in DOMAIN messages : Receive(m)

LivenessSpec ==
    /\ Init
    /\ [][LivenessNext]_vars
    /\ WF_vars(state[Designated] = Follower /\ Timeout(Designated))
    /\ WF_vars(StartElection(Designated))
    /\ WF_vars(BecomeLeader(Designated))
    /\ \A j \in Server : WF_vars(LivenessRequestVote(j))
    /\ \A i \in Server : WF_vars(\E m \in DOMAIN messages : m.mdest = i /\ Receive(m))

EventuallyLeader == <>(\E i \in Server : state[i] = Leader)
=============================================================================
