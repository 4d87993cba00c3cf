package io.kplane.apiserver;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * One service cluster IP range ({@code --service-cluster-ip-range}): its family and prefix, whether
 * an address lies in it, and the address at an offset. As kube-apiserver's bitmap allocator, a range
 * has at most 2^20 addresses (IPv4 mask at least /12, IPv6 at least /108), so an offset is an int.
 *
 * @param family  {@code IPv4} or {@code IPv6}, as {@code spec.ipFamilies} spells it
 * @param network the network address (host bits cleared)
 * @param prefix  the prefix length
 */
record ServiceCidr(String family, byte[] network, int prefix) {
  static final String IPV4 = "IPv4";
  static final String IPV6 = "IPv6";
  /** kube-apiserver refuses ranges with more host bits than this (its allocation bitmap's limit). */
  private static final int MAX_HOST_BITS = 20;

  /** The default range, kubeadm's: a single-stack IPv4 cluster. */
  static final List<ServiceCidr> DEFAULT = parseRange("10.96.0.0/12");

  /**
   * The value of {@code --service-cluster-ip-range}: one CIDR, or two of different families
   * (primary first) for a dual-stack cluster. Throws with a message naming the flag otherwise.
   */
  static List<ServiceCidr> parseRange(String value) {
    List<ServiceCidr> out = new ArrayList<>();
    for (String part : value.split(",")) {
      if (!part.isBlank()) {
        out.add(parse(part.strip()));
      }
    }
    if (out.isEmpty() || out.size() > 2) {
      throw new IllegalArgumentException("--service-cluster-ip-range must be one CIDR or two (one per IP family), not '" + value + "'");
    }
    if (out.size() == 2 && out.get(0).family().equals(out.get(1).family())) {
      throw new IllegalArgumentException("--service-cluster-ip-range[0] and --service-cluster-ip-range[1] must be of different IP family, "
          + "both are " + out.get(0).family() + " in '" + value + "'");
    }
    return List.copyOf(out);
  }

  /** One CIDR such as {@code 10.96.0.0/12} or {@code fd00:10:96::/108}; host bits are cleared. */
  static ServiceCidr parse(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("'" + cidr + "' is not a CIDR (address/prefix)");
    }
    InetAddress a = parseAddress(cidr.substring(0, slash));
    if (a == null) {
      throw new IllegalArgumentException("'" + cidr + "' is not a CIDR: bad address");
    }
    int prefix;
    try {
      prefix = Integer.parseInt(cidr.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + cidr + "' is not a CIDR: bad prefix length");
    }
    byte[] bytes = a.getAddress();
    int bits = bytes.length * 8;
    if (prefix < 0 || prefix > bits) {
      throw new IllegalArgumentException("'" + cidr + "' is not a CIDR: prefix length out of range");
    }
    if (bits - prefix > MAX_HOST_BITS) {
      throw new IllegalArgumentException("the service cluster IP range " + cidr + " is too large; for " + bits
          + "-bit addresses, the mask must be >= " + (bits - MAX_HOST_BITS));
    }
    if (bits - prefix < 2) {
      throw new IllegalArgumentException("the service cluster IP range " + cidr + " is too small to hold a service IP");
    }
    for (int i = 0; i < bits; i++) {
      if (i >= prefix) {
        bytes[i / 8] &= (byte) ~(0x80 >>> (i % 8));
      }
    }
    return new ServiceCidr(bytes.length == 4 ? IPV4 : IPV6, bytes, prefix);
  }

  /**
   * A literal IPv4 or IPv6 address, or null when the text is not one. Only literals reach
   * {@link InetAddress#getByName}, so nothing is ever looked up in DNS.
   */
  static InetAddress parseAddress(String text) {
    if (text.isEmpty() || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
      return null;
    }
    boolean v6 = text.indexOf(':') >= 0;
    if (!v6 && !text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      return null;
    }
    try {
      InetAddress a = InetAddress.getByName(text);
      // "::ffff:1.2.3.4" comes back as an Inet4Address: an IPv4-mapped address is not a valid service IP.
      return v6 == (a instanceof Inet6Address) ? a : null;
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** The family of a literal address, or null when it is not one. */
  static String familyOf(String ip) {
    InetAddress a = parseAddress(ip);
    return a == null ? null : a instanceof Inet4Address ? IPV4 : IPV6;
  }

  /** The canonical text of a literal address (IPv6 compressed as RFC 5952 says), or null when it is not one. */
  static String canonical(String ip) {
    InetAddress a = parseAddress(ip);
    return a == null ? null : format(a.getAddress());
  }

  /** Addresses in the range, network and last included. */
  int size() {
    return 1 << (network.length * 8 - prefix);
  }

  /**
   * Offsets that may be handed out: never the network address, nor 1 (kube-apiserver gives the first
   * address to the {@code kubernetes} Service), nor the IPv4 broadcast address.
   */
  int firstAllocatable() {
    return 2;
  }

  int endAllocatable() {
    return family.equals(IPV4) ? size() - 1 : size();
  }

  boolean contains(String ip) {
    InetAddress a = parseAddress(ip);
    if (a == null) {
      return false;
    }
    byte[] b = a.getAddress();
    if (b.length != network.length) {
      return false;
    }
    for (int i = 0; i < prefix; i++) {
      int mask = 0x80 >>> (i % 8);
      if ((b[i / 8] & mask) != (network[i / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  /** The canonical text of the address {@code offset} past the network address. */
  String addressAt(int offset) {
    byte[] b = network.clone();
    int carry = offset;
    for (int i = b.length - 1; i >= 0 && carry != 0; i--) {
      int sum = (b[i] & 0xff) + (carry & 0xff);
      b[i] = (byte) sum;
      carry = (carry >>> 8) + (sum >>> 8);
    }
    return format(b);
  }

  @Override
  public String toString() {
    return format(network) + "/" + prefix;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServiceCidr c && c.prefix == prefix && java.util.Arrays.equals(c.network, network);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(network) * 31 + prefix;
  }

  /** Dotted quad, or IPv6 in RFC 5952 form (lower case, longest run of two or more zero groups as "::") as Go prints it. */
  static String format(byte[] b) {
    if (b.length == 4) {
      return (b[0] & 255) + "." + (b[1] & 255) + "." + (b[2] & 255) + "." + (b[3] & 255);
    }
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 255) << 8) | (b[2 * i + 1] & 255);
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        s.append("::");
        i += bestLen - 1;
        continue;
      }
      if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
        s.append(':');
      }
      s.append(Integer.toHexString(groups[i]));
    }
    return s.toString();
  }
}
