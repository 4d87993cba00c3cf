package io.kplane.scheduler.framework;

/** A plugin's verdict on whether an event may make a pod it rejected schedulable. */
public enum QueueingHint { QUEUE, SKIP }
