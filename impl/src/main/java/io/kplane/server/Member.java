package io.kplane.server;

import java.util.List;

/**
 * A cluster member as etcd's Cluster API describes it.
 *
 * @param id         the member id (stable hash of cluster token, name and peer URL)
 * @param name       the human name, e.g. {@code n1}
 * @param peerUrls   where peers reach it, e.g. {@code http://127.0.0.1:2380}
 * @param clientUrls where clients reach it (empty until the client listener is started)
 * @param isLearner  true for a non-voting member
 */
public record Member(long id, String name, List<String> peerUrls, List<String> clientUrls, boolean isLearner) {
    public Member {
        peerUrls = List.copyOf(peerUrls);
        clientUrls = List.copyOf(clientUrls);
    }
}
