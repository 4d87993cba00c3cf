package io.kplane.proxy;

/**
 * An IPv4 or IPv6 address as a 128-bit value ({@code hi}, {@code lo}; an IPv4 address in the low
 * 32 bits of {@code lo}), so that prefixes of both families are compared the same way. Printed in
 * the canonical text form (dotted quad; RFC 5952 for IPv6: lower case, the longest run of two or
 * more zero groups as {@code ::}), which is also how {@code ip6tables-save} and {@code nft} print.
 */
public record IpAddress(long hi, long lo, IpFamily family) {

    /** Parses dotted-quad IPv4 or IPv6 text (with {@code ::}, without zone or embedded IPv4). */
    public static IpAddress parse(String s) {
        if (s.indexOf(':') < 0) {
            return new IpAddress(0, Integer.toUnsignedLong(parseIPv4(s)), IpFamily.IPv4);
        }
        return parseIPv6(s);
    }

    /** Whether {@code s} is an address of either family. */
    public static boolean isValid(String s) {
        try {
            parse(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Parses dotted-quad IPv4; rejects anything else with a message naming the input. */
    static int parseIPv4(String s) {
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

    private static IpAddress parseIPv6(String s) {
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
            throw new IllegalArgumentException("not an IPv6 address (two '::'): " + s);
        }
        int[] head = groups(gap < 0 ? s : s.substring(0, gap), s);
        int[] tail = gap < 0 ? new int[0] : groups(s.substring(gap + 2), s);
        int n = head.length + tail.length;
        if (gap < 0 ? n != 8 : n > 7) {
            throw new IllegalArgumentException("not an IPv6 address (wrong number of groups): " + s);
        }
        int[] g = new int[8];
        System.arraycopy(head, 0, g, 0, head.length);
        System.arraycopy(tail, 0, g, 8 - tail.length, tail.length);
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 4; i++) {
            hi = (hi << 16) | g[i];
            lo = (lo << 16) | g[i + 4];
        }
        return new IpAddress(hi, lo, IpFamily.IPv6);
    }

    private static int[] groups(String part, String whole) {
        if (part.isEmpty()) {
            return new int[0];
        }
        String[] t = part.split(":", -1);
        int[] out = new int[t.length];
        for (int i = 0; i < t.length; i++) {
            if (t[i].isEmpty() || t[i].length() > 4) {
                throw new IllegalArgumentException("not an IPv6 address: " + whole);
            }
            try {
                out[i] = Integer.parseInt(t[i], 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IPv6 address: " + whole);
            }
        }
        return out;
    }

    /** The address text of {@code ip:port} or {@code [ip]:port}. */
    public static String hostOf(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, colon);
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    /** The port of {@code ip:port} or {@code [ip]:port}. */
    public static int portOf(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    /** Whether the first {@code prefix} bits equal {@code other}'s (same family required). */
    boolean samePrefix(IpAddress other, int prefix) {
        if (family != other.family) {
            return false;
        }
        if (family == IpFamily.IPv4) {
            long mask = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
            return (lo & mask) == (other.lo & mask);
        }
        long hiMask = prefix >= 64 ? -1L : prefix == 0 ? 0 : -1L << (64 - prefix);
        long loMask = prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
        return (hi & hiMask) == (other.hi & hiMask) && (lo & loMask) == (other.lo & loMask);
    }

    @Override
    public String toString() {
        if (family == IpFamily.IPv4) {
            int a = (int) lo;
            return (a >>> 24) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
        }
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) ((hi >>> (48 - 16 * i)) & 0xffff);
            g[i + 4] = (int) ((lo >>> (48 - 16 * i)) & 0xffff);
        }
        // RFC 5952: the longest run (first on a tie) of at least two zero groups becomes "::".
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
