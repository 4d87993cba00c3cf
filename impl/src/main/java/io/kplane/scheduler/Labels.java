package io.kplane.scheduler;

/** Well-known label and taint keys the scheduler interprets. */
public final class Labels {
    public static final String HOSTNAME = "kubernetes.io/hostname";
    public static final String ZONE = "topology.kubernetes.io/zone";
    public static final String REGION = "topology.kubernetes.io/region";
    public static final String TAINT_UNSCHEDULABLE = "node.kubernetes.io/unschedulable";

    private Labels() {}
}
