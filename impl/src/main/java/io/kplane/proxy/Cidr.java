package io.kplane.proxy;

/** An IPv4 prefix such as {@code 10.244.0.0/16}; a bare address is a /32. */
public record Cidr(int address, int prefix) {

    public static Cidr parse(String s) {
        int slash = s.indexOf('/');
        int prefix = slash < 0 ? 32 : Integer.parseInt(s.substring(slash + 1));
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("bad prefix length in " + s);
        }
        return new Cidr(parseIPv4(slash < 0 ? s : s.substring(0, slash)), prefix);
    }

    public boolean contains(String ip) {
        return contains(parseIPv4(ip));
    }

    public boolean contains(int ip) {
        int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        return (ip & mask) == (address & mask);
    }

    /** Parses dotted-quad IPv4; rejects anything else with a message naming the input. */
    public static int parseIPv4(String s) {
        int value = 0;
        int part = 0;
        int digits = 0;
        int dots = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                part = part * 10 + (c - '0');
                if (++digits > 3 || part > 255) {
                    throw new IllegalArgumentException("not an IPv4 address: " + s);
                }
            } else if (c == '.' && digits > 0 && dots < 3) {
                value = (value << 8) | part;
                part = 0;
                digits = 0;
                dots++;
            } else {
                throw new IllegalArgumentException("not an IPv4 address: " + s);
            }
        }
        if (dots != 3 || digits == 0) {
            throw new IllegalArgumentException("not an IPv4 address: " + s);
        }
        return (value << 8) | part;
    }

    /** Dotted-quad text of an IPv4 address. */
    public static String formatIPv4(int a) {
        return (a >>> 24) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
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
