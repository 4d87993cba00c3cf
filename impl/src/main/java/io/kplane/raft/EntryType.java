package io.kplane.raft;

/** Whether an {@link Entry} carries application data or a {@link ConfChange}. */
public enum EntryType { NORMAL, CONF_CHANGE }
