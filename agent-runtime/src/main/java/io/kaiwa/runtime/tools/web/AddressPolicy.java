package io.kaiwa.runtime.tools.web;

import static java.util.Objects.requireNonNull;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Decides which IP addresses {@code web_extractor} may connect to: public unicast addresses only, unless an address
 * falls in one of the configured allowlisted ranges. Everything else (loopback, private, link-local and cloud
 * metadata, carrier-grade NAT, unique local, multicast, broadcast, reserved, benchmarking, documentation and other
 * special-purpose ranges) is refused. IPv6 forms that carry an IPv4 address (IPv4-mapped and -compatible, SIIT,
 * NAT64 {@code 64:ff9b::/96} and 6to4 {@code 2002::/16}) are judged by the IPv4 address they carry.
 *
 * <p>
 * The ranges follow the IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and its updates). Immutable
 * and thread-safe; never does I/O.
 */
public final class AddressPolicy {
    /** Why an address is or is not a public one; each constant reads as a noun phrase in messages. */
    public enum AddressClass {
        /** A globally routable unicast address: the only class fetched without an allowlist entry. */
        PUBLIC("a public address"),
        /** {@code 0.0.0.0} or {@code ::}: on most systems a connection to it reaches the local host. */
        UNSPECIFIED("an unspecified address"),
        /** {@code 0.0.0.0/8}, "this network". */
        THIS_NETWORK("a 'this network' address"),
        /** {@code 127.0.0.0/8} or {@code ::1}. */
        LOOPBACK("a loopback address"),
        /** {@code 10.0.0.0/8}, {@code 172.16.0.0/12} or {@code 192.168.0.0/16}. */
        PRIVATE("a private address"),
        /** {@code 169.254.0.0/16} (cloud metadata services live here) or {@code fe80::/10}. */
        LINK_LOCAL("a link-local address"),
        /** {@code 100.64.0.0/10}, carrier-grade NAT (some cloud metadata services live here). */
        SHARED("a carrier-grade NAT (shared) address"),
        /** {@code fc00::/7}. */
        UNIQUE_LOCAL("a unique local address"),
        /** {@code fec0::/10}, deprecated but still routed inside some networks. */
        SITE_LOCAL("a site-local address"),
        /** {@code 224.0.0.0/4} or {@code ff00::/8}. */
        MULTICAST("a multicast address"),
        /** {@code 255.255.255.255}. */
        BROADCAST("a broadcast address"),
        /** {@code 198.18.0.0/15} or {@code 2001:2::/48}. */
        BENCHMARKING("a benchmarking address"),
        /** TEST-NET-1/2/3, {@code 2001:db8::/32} and {@code 3fff::/20}. */
        DOCUMENTATION("a documentation address"),
        /** IETF protocol assignments, Teredo, discard-only, local-use NAT64, 6to4 relay anycast and the like. */
        SPECIAL_PURPOSE("a special-purpose address"),
        /** {@code 240.0.0.0/4}, IPv4-compatible IPv6 and IPv6 outside {@code 2000::/3}. */
        RESERVED("a reserved address");

        private final String phrase;

        AddressClass(String phrase) {
            this.phrase = phrase;
        }

        /** @return the class as a noun phrase, e.g. {@code "a loopback address"} */
        public String phrase() {
            return phrase;
        }
    }

    /**
     * Why an address was refused.
     *
     * @param address the address that was checked
     * @param addressClass its class (for an IPv6 address carrying an IPv4 one, the class of the IPv4 address)
     * @param embedded the IPv4 address carried inside {@code address}, or {@code null}
     */
    public record Refusal(InetAddress address, AddressClass addressClass, Inet4Address embedded) {
        public Refusal {
            requireNonNull(address, "address");
            requireNonNull(addressClass, "addressClass");
        }

        /** @return e.g. {@code "a loopback address"} or {@code "an IPv6 address carrying 127.0.0.1, a loopback ..."} */
        public String what() {
            return embedded == null
                    ? addressClass.phrase()
                    : "an IPv6 address carrying " + format(embedded) + ", " + addressClass.phrase();
        }

        /** @return a sentence for the model, e.g. {@code "127.0.0.1 is a loopback address"} */
        public String reason() {
            return format(address) + " is " + what();
        }
    }

    private record Range(CidrBlock block, AddressClass addressClass) {
    }

    private static final List<Range> V4 = List.of(range("0.0.0.0/32", AddressClass.UNSPECIFIED),
            range("0.0.0.0/8", AddressClass.THIS_NETWORK), range("10.0.0.0/8", AddressClass.PRIVATE),
            range("100.64.0.0/10", AddressClass.SHARED), range("127.0.0.0/8", AddressClass.LOOPBACK),
            range("169.254.0.0/16", AddressClass.LINK_LOCAL), range("172.16.0.0/12", AddressClass.PRIVATE),
            range("192.0.0.0/24", AddressClass.SPECIAL_PURPOSE), range("192.0.2.0/24", AddressClass.DOCUMENTATION),
            range("192.88.99.0/24", AddressClass.SPECIAL_PURPOSE), range("192.168.0.0/16", AddressClass.PRIVATE),
            range("198.18.0.0/15", AddressClass.BENCHMARKING), range("198.51.100.0/24", AddressClass.DOCUMENTATION),
            range("203.0.113.0/24", AddressClass.DOCUMENTATION), range("224.0.0.0/4", AddressClass.MULTICAST),
            range("255.255.255.255/32", AddressClass.BROADCAST), range("240.0.0.0/4", AddressClass.RESERVED));

    private static final List<Range> V6 = List.of(range("::/128", AddressClass.UNSPECIFIED),
            range("::1/128", AddressClass.LOOPBACK), range("64:ff9b:1::/48", AddressClass.SPECIAL_PURPOSE),
            range("100::/64", AddressClass.SPECIAL_PURPOSE), range("2001:2::/48", AddressClass.BENCHMARKING),
            range("2001::/23", AddressClass.SPECIAL_PURPOSE), range("2001:db8::/32", AddressClass.DOCUMENTATION),
            range("3fff::/20", AddressClass.DOCUMENTATION), range("fc00::/7", AddressClass.UNIQUE_LOCAL),
            range("fe80::/10", AddressClass.LINK_LOCAL), range("fec0::/10", AddressClass.SITE_LOCAL),
            range("ff00::/8", AddressClass.MULTICAST));

    private static final CidrBlock GLOBAL_UNICAST = CidrBlock.parse("2000::/3");
    // Forms whose last 32 bits are an IPv4 address a connection may end up at.
    private static final CidrBlock MAPPED = CidrBlock.parse("::ffff:0:0/96");
    private static final CidrBlock SIIT = CidrBlock.parse("::ffff:0:0:0/96");
    private static final CidrBlock COMPATIBLE = CidrBlock.parse("::/96");
    private static final CidrBlock NAT64 = CidrBlock.parse("64:ff9b::/96");
    // 6to4 carries its IPv4 address in bits 16..47.
    private static final CidrBlock SIX_TO_FOUR = CidrBlock.parse("2002::/16");

    private static final AddressPolicy STRICT = new AddressPolicy(List.of());

    private final List<CidrBlock> allowed;

    /**
     * @param allowed ranges that may be fetched whatever their class (e.g. an intranet, or {@code 127.0.0.1/32} in
     *        tests); never {@code null}
     */
    public AddressPolicy(List<CidrBlock> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    /** @return the policy that fetches public addresses only */
    public static AddressPolicy strict() {
        return STRICT;
    }

    /**
     * @param cidrs allowlisted ranges in CIDR notation; never {@code null}
     * @return a policy that also fetches those ranges
     * @throws IllegalArgumentException when a range does not parse
     */
    public static AddressPolicy allowing(List<String> cidrs) {
        return new AddressPolicy(cidrs.stream().map(CidrBlock::parse).toList());
    }

    /**
     * @param address an address a host name resolved to, or an address literal from a URL; never {@code null}
     * @return empty when a connection to it is permitted, else why not
     */
    public Optional<Refusal> check(InetAddress address) {
        requireNonNull(address, "address");
        Inet4Address embedded = embeddedIpv4(address);
        for (CidrBlock block : allowed) {
            if (block.contains(address) || block.contains(embedded)) {
                return Optional.empty();
            }
        }
        AddressClass own = classify(address);
        if (own == AddressClass.PUBLIC) {
            return Optional.empty();
        }
        if (embedded != null && classify(embedded) == own) {
            return Optional.of(new Refusal(address, own, embedded));
        }
        return Optional.of(new Refusal(address, own, null));
    }

    /**
     * @param address any address; never {@code null}
     * @return its class; an IPv6 address carrying a non-public IPv4 address gets that address's class
     */
    public static AddressClass classify(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return classify(b, V4, AddressClass.PUBLIC);
        }
        Inet4Address embedded = embeddedIpv4(address);
        if (embedded != null) {
            AddressClass inner = classify(embedded);
            if (inner != AddressClass.PUBLIC) {
                return inner;
            }
            // IPv4-compatible addresses are deprecated (RFC 4291): nothing legitimate answers on them.
            return COMPATIBLE.contains(b) ? AddressClass.RESERVED : AddressClass.PUBLIC;
        }
        AddressClass special = classify(b, V6, null);
        if (special != null) {
            return special;
        }
        return GLOBAL_UNICAST.contains(b) ? AddressClass.PUBLIC : AddressClass.RESERVED;
    }

    /**
     * @param address any address; {@code null} gives {@code null}
     * @return the IPv4 address an IPv6 address carries (mapped, compatible, SIIT, NAT64 or 6to4), else {@code null}
     */
    static Inet4Address embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return null;
        }
        byte[] b = address.getAddress();
        byte[] v4;
        if (MAPPED.contains(b) || SIIT.contains(b) || NAT64.contains(b)) {
            v4 = new byte[]{b[12], b[13], b[14], b[15]};
        } else if (COMPATIBLE.contains(b)) {
            boolean unspecifiedOrLoopback = b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] == 0 || b[15] == 1);
            if (unspecifiedOrLoopback) {
                return null;
            }
            v4 = new byte[]{b[12], b[13], b[14], b[15]};
        } else if (SIX_TO_FOUR.contains(b)) {
            v4 = new byte[]{b[2], b[3], b[4], b[5]};
        } else {
            return null;
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(v4);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static AddressClass classify(byte[] bytes, List<Range> ranges, AddressClass otherwise) {
        for (Range r : ranges) {
            if (r.block().contains(bytes)) {
                return r.addressClass();
            }
        }
        return otherwise;
    }

    private static Range range(String cidr, AddressClass addressClass) {
        return new Range(CidrBlock.parse(cidr), addressClass);
    }

    /**
     * @param address any address
     * @return its usual text: a dotted quad, or compressed IPv6 (RFC 5952) without a scope
     */
    static String format(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return address.getHostAddress();
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8;) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
