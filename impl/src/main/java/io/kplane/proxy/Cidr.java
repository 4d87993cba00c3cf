package io.kplane.proxy;

/** An IPv4 or IPv6 prefix such as {@code 10.244.0.0/16} or {@code fd00:10::/64}; a bare address is a /32 or /128. */
public record Cidr(IpAddress address, int prefix) {

    public static Cidr parse(String s) {
        int slash = s.indexOf('/');
        IpAddress a = IpAddress.parse(slash < 0 ? s : s.substring(0, slash));
        int max = a.family().bits();
        int prefix;
        try {
            prefix = slash < 0 ? max : Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length in " + s);
        }
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException("bad prefix length in " + s);
        }
        return new Cidr(a, prefix);
    }

    public IpFamily family() {
        return address.family();
    }

    public boolean contains(String ip) {
        return contains(IpAddress.parse(ip));
    }

    /** Whether {@code ip} is in this prefix; an address of the other family never is. */
    public boolean contains(IpAddress ip) {
        return address.samePrefix(ip, prefix);
    }

    /** Parses dotted-quad IPv4 into its 32 bits; rejects anything else with a message naming the input. */
    public static int parseIPv4(String s) {
        return IpAddress.parseIPv4(s);
    }

    public static boolean isIPv4(String s) {
        try {
            parseIPv4(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
