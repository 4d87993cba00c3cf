package io.kplane.raft;

/** The role of a node. */
public enum StateType { FOLLOWER, CANDIDATE, LEADER, PRE_CANDIDATE }
