package io.kaiwa.runtime.tools.web;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Host-name arithmetic the way a browser does it, so that a host which a browser, curl or an upstream proxy would
 * read as an IPv4 address ({@code 2130706433}, {@code 127.1}, {@code 0177.0.0.1}, {@code 0x7f.0.0.1}) is read as one
 * here too (WHATWG URL Standard, "IPv4 parser" and "ends in a number checker"). Never does I/O.
 */
final class HostParsing {
    private HostParsing() {
    }

    /**
     * @param host a lower-case ASCII host without brackets
     * @return whether the WHATWG parser would treat it as an IPv4 address (its last label is numeric)
     */
    static boolean endsInNumber(String host) {
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String last = h.substring(h.lastIndexOf('.') + 1);
        if (last.isEmpty()) {
            return false;
        }
        if (last.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return true;
        }
        return last.startsWith("0x") && last.substring(2).chars().allMatch(HostParsing::hexDigit);
    }

    /**
     * @param host a host for which {@link #endsInNumber} holds
     * @return the address a browser reads, or {@code null} where a browser rejects the URL
     */
    static Inet4Address whatwgIpv4(String host) {
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String[] parts = h.split("\\.", -1);
        if (parts.length > 4) {
            return null;
        }
        long[] numbers = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            long n = number(parts[i]);
            if (n < 0) {
                return null;
            }
            numbers[i] = n;
        }
        for (int i = 0; i < numbers.length - 1; i++) {
            if (numbers[i] > 255) {
                return null;
            }
        }
        long last = numbers[numbers.length - 1];
        if (last >= 1L << (8 * (5 - numbers.length))) {
            return null;
        }
        long value = last;
        for (int i = 0; i < numbers.length - 1; i++) {
            value += numbers[i] << (8 * (3 - i));
        }
        return ipv4(value);
    }

    /**
     * @param text any text
     * @return the address when {@code text} is a canonical dotted quad ({@code 0-255} each, no leading zeros), else
     *         {@code null}
     */
    static Inet4Address dottedQuad(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        long value = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')
                    || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int n = Integer.parseInt(p);
            if (n > 255) {
                return null;
            }
            value = (value << 8) | n;
        }
        return ipv4(value);
    }

    /** A WHATWG IPv4 number: decimal, {@code 0x} hex (may be empty) or {@code 0}-prefixed octal; -1 if invalid. */
    private static long number(String part) {
        if (part.isEmpty()) {
            return -1;
        }
        int radix = 10;
        String digits = part;
        if (part.startsWith("0x") || part.startsWith("0X")) {
            radix = 16;
            digits = part.substring(2);
        } else if (part.length() > 1 && part.charAt(0) == '0') {
            radix = 8;
            digits = part.substring(1);
        }
        if (digits.isEmpty()) {
            return 0;
        }
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = Character.digit(digits.charAt(i), radix);
            if (d < 0) {
                return -1;
            }
            value = value * radix + d;
            // Larger than any IPv4 number: stop before long arithmetic can overflow.
            if (value > 0xffff_ffffL) {
                return -1;
            }
        }
        return value;
    }

    private static boolean hexDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }

    private static Inet4Address ipv4(long value) {
        byte[] b = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        try {
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
