package io.kplane.proxy;

import java.util.List;

/**
 * One service port with its current endpoints (sorted by {@code ip:port}, each address once).
 *
 * <p>The tracker replaces an entry whenever its Service or endpoints change, so a renderer can keep
 * the text it produced for an entry in the entry itself: a cached fragment is valid exactly as
 * long as the entry object is the same. The slots carry their owner so two renderers with
 * different settings never read each other's text.
 */
public final class ServicePortEntry {
    private final ServicePortInfo info;
    private final List<EndpointInfo> endpoints;
    Object iptablesOwner;
    Object iptablesFragment;
    Object nftOwner;
    Object nftFragment;

    public ServicePortEntry(ServicePortInfo info, List<EndpointInfo> endpoints) {
        this.info = info;
        this.endpoints = List.copyOf(endpoints);
    }

    public ServicePortInfo info() {
        return info;
    }

    public List<EndpointInfo> endpoints() {
        return endpoints;
    }

    @Override
    public String toString() {
        return info.nameString() + " -> " + endpoints;
    }
}
