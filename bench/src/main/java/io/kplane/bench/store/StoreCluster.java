package io.kplane.bench.store;

import java.util.List;

/** A running store cluster (kplane or etcd) that the store benchmark drives through the etcd v3 API. */
public interface StoreCluster extends AutoCloseable {

    /** "kplane" or "etcd": the name used in results and charts. */
    String system();

    /** host:port of every member's client (gRPC) endpoint. */
    List<String> clientEndpoints();

    /** Process ids of the members, to sample their CPU time. */
    List<Long> pids();

    @Override
    void close();
}
