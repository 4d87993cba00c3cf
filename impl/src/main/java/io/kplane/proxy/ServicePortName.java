package io.kplane.proxy;

import java.util.Comparator;

/**
 * Identifies one port of one Service, as kube-proxy's {@code ServicePortName} does.
 *
 * <p>{@link #toString()} is kube-proxy's string form {@code namespace/name:port} (or
 * {@code namespace/name} when the port is unnamed); it is what the chain-name hashes are computed
 * over, so it must not change.
 */
public record ServicePortName(String namespace, String name, String port, Protocol protocol)
        implements Comparable<ServicePortName> {

    private static final Comparator<ServicePortName> ORDER = Comparator
            .comparing(ServicePortName::namespace)
            .thenComparing(ServicePortName::name)
            .thenComparing(ServicePortName::port)
            .thenComparing(ServicePortName::protocol);

    public ServicePortName {
        if (namespace == null || name == null) {
            throw new IllegalArgumentException("namespace and name are required");
        }
        port = port == null ? "" : port;
        protocol = protocol == null ? Protocol.TCP : protocol;
    }

    /** The Service this port belongs to. */
    public NamespacedName service() {
        return new NamespacedName(namespace, name);
    }

    @Override
    public String toString() {
        return port.isEmpty() ? namespace + "/" + name : namespace + "/" + name + ":" + port;
    }

    @Override
    public int compareTo(ServicePortName o) {
        return ORDER.compare(this, o);
    }
}
