package io.kaiwa.runtime.tools.web;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * A range of IP addresses in CIDR notation, such as {@code 10.0.0.0/8} or {@code fd00::/8}. Parsing never touches
 * DNS: only address literals are accepted. Immutable and thread-safe.
 */
public final class CidrBlock {
    private final byte[] network;
    private final int prefixLength;
    private final String text;

    private CidrBlock(byte[] network, int prefixLength, String text) {
        this.network = network;
        this.prefixLength = prefixLength;
        this.text = text;
    }

    /**
     * @param cidr an address literal with an optional {@code /prefix}, e.g. {@code 127.0.0.1/32},
     *        {@code 192.168.0.0/16}, {@code fd00::/8}; a bare address means that one address
     * @return the block
     * @throws IllegalArgumentException when {@code cidr} is not an IPv4 dotted quad or IPv6 literal with a prefix
     *         that fits, or has host bits set beyond the prefix
     * @throws NullPointerException when {@code cidr} is {@code null}
     */
    public static CidrBlock parse(String cidr) {
        String s = cidr.strip();
        int slash = s.indexOf('/');
        String literal = slash < 0 ? s : s.substring(0, slash);
        byte[] bytes = literalBytes(literal);
        if (bytes == null) {
            throw new IllegalArgumentException("not an IP address range: '" + cidr + "' (expected e.g. 10.0.0.0/8)");
        }
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("bad prefix length in '" + cidr + "'");
            }
            prefix = Integer.parseInt(p);
            if (prefix > bits) {
                throw new IllegalArgumentException("prefix length " + prefix + " exceeds " + bits + " in '" + cidr
                        + "'");
            }
        }
        for (int i = prefix; i < bits; i++) {
            if (bit(bytes, i)) {
                throw new IllegalArgumentException("'" + cidr + "' has address bits set beyond its /" + prefix
                        + " prefix");
            }
        }
        return new CidrBlock(bytes, prefix, s);
    }

    /**
     * @param address an address; {@code null} is never contained
     * @return whether the address is inside this block (an IPv4 address is never inside an IPv6 block and the
     *         other way round; callers compare embedded IPv4 addresses themselves)
     */
    public boolean contains(InetAddress address) {
        return address != null && contains(address.getAddress());
    }

    boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        for (int i = 0; i < prefixLength; i++) {
            if (bit(address, i) != bit(network, i)) {
                return false;
            }
        }
        return true;
    }

    /** @return the number of leading bits that are fixed */
    public int prefixLength() {
        return prefixLength;
    }

    /** @return whether this is an IPv4 block */
    public boolean isIpv4() {
        return network.length == 4;
    }

    private static boolean bit(byte[] bytes, int index) {
        return (bytes[index / 8] & (0x80 >>> (index % 8))) != 0;
    }

    /**
     * The bytes of an address literal: 4 for a dotted quad, 16 for an IPv6 literal (IPv4-mapped ones included,
     * which {@link InetAddress} would otherwise turn into IPv4), or {@code null}.
     */
    static byte[] literalBytes(String literal) {
        Inet4Address v4 = HostParsing.dottedQuad(literal);
        if (v4 != null) {
            return v4.getAddress();
        }
        if (literal.indexOf(':') < 0 || !literal.chars().allMatch(CidrBlock::ipv6Char)) {
            return null;
        }
        try {
            // Only hex digits, colons and dots reach here: getByName parses the literal and never asks DNS.
            InetAddress a = InetAddress.getByName(literal);
            byte[] b = a.getAddress();
            if (b.length == 16) {
                return b;
            }
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(b, 0, mapped, 12, 4);
            return mapped;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean ipv6Char(int c) {
        return c == ':' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CidrBlock other && prefixLength == other.prefixLength
                && Arrays.equals(network, other.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    /** @return the block as it was written */
    @Override
    public String toString() {
        return text;
    }
}
