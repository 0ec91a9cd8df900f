package io.kaiwa.runtime.tools.web;

import java.net.IDN;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * An http(s) URL that passed the syntactic checks and is ready to be resolved: scheme, normalised host, port and the
 * request target. Hosts are normalised the way a browser would (IDNA to ASCII, lower case, WHATWG IPv4 numbers), and
 * everything a browser and this parser might read differently is refused instead: user info, percent-encoded or
 * non-canonical numeric hosts, trailing dots, backslashes and control characters.
 *
 * @param uri the URL without its fragment, as it is requested
 * @param https whether the scheme is {@code https}
 * @param host the normalised host, without brackets for IPv6
 * @param port the port, the scheme's default when absent
 * @param requestTarget the path and query sent in the request line, e.g. {@code /a/b?c=d}
 * @param literal the address when the host is an IP literal, else {@code null}
 */
record TargetUrl(URI uri, boolean https, String host, int port, String requestTarget, InetAddress literal) {
    /**
     * @param text the URL as the model or a {@code Location} header gave it
     * @param base the URL it is relative to, or {@code null} for an absolute URL
     * @return the parsed target
     * @throws Rejected with a message for the model when the URL may not be fetched
     */
    static TargetUrl parse(String text, URI base) {
        if (text == null || text.isBlank()) {
            throw new Rejected("refused: empty URL");
        }
        String s = text.strip();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            // Browsers read '\' as '/' in http(s) URLs while java.net.URI does not: refuse rather than guess.
            if (c < 0x20 || c == 0x7f || c == '\\') {
                throw new Rejected("refused: the URL contains a backslash or a control character");
            }
        }
        URI uri;
        try {
            uri = new URI(escapeLoose(s));
            if (base != null) {
                uri = base.resolve(uri);
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new Rejected("refused: not a valid URL: " + shorten(s));
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null) {
            throw new Rejected("refused: not an absolute URL (expected http:// or https://): " + shorten(s));
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Rejected("refused: only http and https URLs are fetched, not " + scheme + ":");
        }
        String authority = uri.getRawAuthority();
        if (uri.isOpaque() || authority == null || authority.isEmpty()) {
            throw new Rejected("refused: the URL has no host: " + shorten(s));
        }
        if (authority.indexOf('@') >= 0) {
            throw new Rejected("refused: URLs with user info (user@host) are not fetched");
        }
        boolean https = scheme.equals("https");
        String rawHost;
        String rawPort = null;
        boolean bracketed = authority.startsWith("[");
        if (bracketed) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new Rejected("refused: not a valid URL: " + shorten(s));
            }
            rawHost = authority.substring(1, close);
            String rest = authority.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new Rejected("refused: not a valid URL: " + shorten(s));
                }
                rawPort = rest.substring(1);
            }
        } else {
            int colon = authority.lastIndexOf(':');
            rawHost = colon < 0 ? authority : authority.substring(0, colon);
            rawPort = colon < 0 ? null : authority.substring(colon + 1);
        }
        int port = port(rawPort, https, s);
        if (rawHost.indexOf('%') >= 0) {
            throw new Rejected("refused: percent-encoded host names are not fetched: " + shorten(rawHost));
        }
        String host;
        InetAddress literal;
        if (bracketed) {
            byte[] bytes = CidrBlock.literalBytes(rawHost);
            if (bytes == null || bytes.length != 16) {
                throw new Rejected("refused: not a valid IPv6 address: [" + shorten(rawHost) + "]");
            }
            literal = address(bytes);
            host = AddressPolicy.format(literal);
        } else {
            host = asciiHost(rawHost);
            literal = numericHost(host, rawHost);
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        String hostInUrl = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        boolean defaultPort = port == (https ? 443 : 80);
        URI clean = URI.create(scheme + "://" + hostInUrl + (defaultPort ? "" : ":" + port) + target);
        return new TargetUrl(clean, https, host, port, target, literal);
    }

    /** @return the value of the {@code Host} header: the host, bracketed for IPv6, with a non-default port */
    String hostHeader() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return port == (https ? 443 : 80) ? h : h + ":" + port;
    }

    private static String asciiHost(String rawHost) {
        if (rawHost.isEmpty()) {
            throw new Rejected("refused: the URL has no host");
        }
        String ascii;
        try {
            // IDNA maps full-width digits and dots too, so '１２７．０．０．１' becomes a numeric host checked below.
            ascii = IDN.toASCII(rawHost, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new Rejected("refused: not a valid host name: " + shorten(rawHost));
        }
        if (ascii.isEmpty() || !ascii.chars().allMatch(TargetUrl::hostChar) || ascii.startsWith(".")
                || ascii.contains("..")) {
            throw new Rejected("refused: not a valid host name: " + shorten(rawHost));
        }
        return ascii;
    }

    private static InetAddress numericHost(String host, String rawHost) {
        if (!HostParsing.endsInNumber(host)) {
            if (host.endsWith(".")) {
                throw new Rejected("refused: host names ending in a dot are not fetched: " + host);
            }
            return null;
        }
        Inet4Address address = HostParsing.whatwgIpv4(host);
        if (address == null) {
            throw new Rejected("refused: not a valid IPv4 address: " + host);
        }
        if (!rawHost.equals(address.getHostAddress())) {
            // Other parsers (proxies, libraries) may read such a host differently: only the canonical form is
            // fetched, and the message names what a browser would have reached.
            String what = AddressPolicy.strict().check(address).map(r -> ", " + r.what()).orElse("");
            throw new Rejected("refused: " + rawHost + " is a non-canonical way to write " + address.getHostAddress()
                    + what + "; write the address as a plain dotted quad");
        }
        return address;
    }

    private static int port(String rawPort, boolean https, String url) {
        if (rawPort == null || rawPort.isEmpty()) {
            return https ? 443 : 80;
        }
        if (rawPort.length() > 5 || !rawPort.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new Rejected("refused: not a valid port in " + shorten(url));
        }
        int port = Integer.parseInt(rawPort);
        if (port < 1 || port > 65535) {
            throw new Rejected("refused: not a valid port in " + shorten(url));
        }
        return port;
    }

    private static boolean hostChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
    }

    /** Percent-encodes characters that models paste into URLs but {@link URI} rejects (spaces, braces, pipes). */
    private static String escapeLoose(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (" \"<>^`{|}".indexOf(c) >= 0) {
                if (out == null) {
                    out = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }

    private static InetAddress address(byte[] bytes) {
        try {
            // Inet6Address keeps an IPv4-mapped literal as written, so messages name what the URL said.
            return Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static String shorten(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
