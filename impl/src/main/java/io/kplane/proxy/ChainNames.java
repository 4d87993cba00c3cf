package io.kplane.proxy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * kube-proxy's chain names, computed exactly as upstream does so that rules written by kplane and
 * by kube-proxy name the same things the same way.
 *
 * <p>iptables: {@code PREFIX + base32(sha256(servicePortName + protocol [+ endpoint]))[:16]} with the
 * RFC 4648 standard alphabet (Go's {@code base32.StdEncoding}); protocol in lower case; endpoint as
 * {@code ip:port}. nftables (KEP-3866): {@code PREFIX + base32(sha256(name))[:8] + "-" + name} where
 * name is {@code ns/svc/proto/port} or {@code ns/svc/proto/port__ip/port}.
 */
public final class ChainNames {
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });
    /** knftables.NameLengthMax (256) minus the longest prefix (16). */
    private static final int NFT_BASE_MAX = 240;

    private ChainNames() {
    }

    /** The 16-character hash kube-proxy's {@code portProtoHash} computes. */
    public static String portProtoHash(String servicePortName, String protocol) {
        return hash(servicePortName + protocol, 16);
    }

    public static String serviceChain(String servicePortName, String protocol) {
        return "KUBE-SVC-" + portProtoHash(servicePortName, protocol);
    }

    public static String serviceLocalChain(String servicePortName, String protocol) {
        return "KUBE-SVL-" + portProtoHash(servicePortName, protocol);
    }

    public static String externalChain(String servicePortName, String protocol) {
        return "KUBE-EXT-" + portProtoHash(servicePortName, protocol);
    }

    public static String firewallChain(String servicePortName, String protocol) {
        return "KUBE-FW-" + portProtoHash(servicePortName, protocol);
    }

    public static String endpointChain(String servicePortName, String protocol, String endpoint) {
        return "KUBE-SEP-" + hash(servicePortName + protocol + endpoint, 16);
    }

    /** nftables base name for a service port: {@code HASH8-ns/svc/proto/port}. */
    public static String nftServiceBase(ServicePortName spn) {
        return nftHashAndTruncate(spn.namespace() + "/" + spn.name() + "/" + spn.protocol().lower() + "/" + spn.port());
    }

    /** nftables base name for an endpoint: {@code HASH8-ns/svc/proto/port__ip/port} (IPv6 colons become dots). */
    public static String nftEndpointBase(ServicePortName spn, String ip, int port) {
        String safeIp = ip.indexOf(':') >= 0 ? ip.replace(':', '.') : ip;
        return nftHashAndTruncate(spn.namespace() + "/" + spn.name() + "/" + spn.protocol().lower() + "/" + spn.port()
                + "__" + safeIp + "/" + port);
    }

    static String nftHashAndTruncate(String name) {
        String s = hash(name, 8) + "-" + name;
        return s.length() > NFT_BASE_MAX ? s.substring(0, NFT_BASE_MAX - 3) + "..." : s;
    }

    /** The first {@code chars} characters of the standard base32 encoding of sha256(input). */
    static String hash(String input, int chars) {
        MessageDigest md = SHA256.get();
        byte[] digest = md.digest(input.getBytes(StandardCharsets.UTF_8));
        char[] out = new char[chars];
        int buffer = 0;
        int bits = 0;
        int in = 0;
        for (int i = 0; i < chars; i++) {
            if (bits < 5) {
                buffer = (buffer << 8) | (digest[in++] & 0xff);
                bits += 8;
            }
            out[i] = ALPHABET[(buffer >>> (bits - 5)) & 31];
            bits -= 5;
        }
        return new String(out);
    }
}
