package io.kplane.proxy;

/**
 * An IP family, as kube-proxy runs one proxier per family: the names each backend uses for it
 * ({@code ip}/{@code ip6} in nftables, {@code ipv4_addr}/{@code ipv6_addr} set types), the API
 * names ({@code spec.ipFamilies}, EndpointSlice {@code addressType}) and the loopback range.
 */
public enum IpFamily {
    IPv4("IPv4", "ip", "ipv4_addr", "127.0.0.0/8", 32, "inet"),
    IPv6("IPv6", "ip6", "ipv6_addr", "::1/128", 128, "inet6");

    private final String apiName;
    private final String nft;
    private final String nftAddressType;
    private final String loopback;
    private final int bits;
    private final String ipsetFamily;

    IpFamily(String apiName, String nft, String nftAddressType, String loopback, int bits, String ipsetFamily) {
        this.apiName = apiName;
        this.nft = nft;
        this.nftAddressType = nftAddressType;
        this.loopback = loopback;
        this.bits = bits;
        this.ipsetFamily = ipsetFamily;
    }

    /** {@code IPv4}/{@code IPv6}: the spelling of {@code spec.ipFamilies} and EndpointSlice {@code addressType}. */
    public String apiName() { return apiName; }

    /** nftables' table family and address match keyword: {@code ip} / {@code ip6}. */
    public String nft() { return nft; }

    /** nftables set type of an address: {@code ipv4_addr} / {@code ipv6_addr}. */
    public String nftAddressType() { return nftAddressType; }

    /** The loopback range: {@code 127.0.0.0/8} / {@code ::1/128}. */
    public String loopback() { return loopback; }

    /** Address width: 32 / 128 (the prefix length of a single address). */
    public int bits() { return bits; }

    /** ipset's {@code family} option: {@code inet} / {@code inet6}. */
    public String ipsetFamily() { return ipsetFamily; }

    /** The family of an address or CIDR text; rejects anything else with a message naming it. */
    public static IpFamily of(String ipOrCidr) {
        return Cidr.parse(ipOrCidr).address().family();
    }

    /** Whether {@code ipOrCidr} is a valid address or CIDR of this family. */
    public boolean matches(String ipOrCidr) {
        try {
            return of(ipOrCidr) == this;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code ip:port}, with an IPv6 address in brackets (Go's {@code net.JoinHostPort}). */
    public static String hostPort(String ip, int port) {
        return ip.indexOf(':') >= 0 ? "[" + ip + "]:" + port : ip + ":" + port;
    }

    /** The family named by the API ({@code IPv4}/{@code IPv6}), or null for anything else (FQDN). */
    public static IpFamily fromApiName(String name) {
        for (IpFamily f : values()) {
            if (f.apiName.equals(name)) {
                return f;
            }
        }
        return null;
    }
}
