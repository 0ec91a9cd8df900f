package io.kaiwa.runtime.tools.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetUrlTest {
    @Test
    void normalisesAnOrdinaryUrl() {
        TargetUrl t = TargetUrl.parse("  HTTPS://Example.COM:443/a b?q={x}#frag ", null);

        assertThat(t.https()).isTrue();
        assertThat(t.host()).isEqualTo("example.com");
        assertThat(t.port()).isEqualTo(443);
        assertThat(t.requestTarget()).isEqualTo("/a%20b?q=%7Bx%7D");
        assertThat(t.uri()).hasToString("https://example.com/a%20b?q=%7Bx%7D");
        assertThat(t.literal()).isNull();
        assertThat(t.hostHeader()).isEqualTo("example.com");
    }

    @Test
    void turnsInternationalNamesIntoAscii() {
        assertThat(TargetUrl.parse("http://exämple.com:8080", null).host()).isEqualTo("xn--exmple-cua.com");
        assertThat(TargetUrl.parse("http://exämple.com:8080", null).hostHeader())
                .isEqualTo("xn--exmple-cua.com:8080");
    }

    @Test
    void resolvesRedirectsAgainstTheCurrentUrl() {
        URI base = URI.create("http://example.com/a/b");

        assertThat(TargetUrl.parse("../c?d", base).uri()).hasToString("http://example.com/c?d");
        assertThat(TargetUrl.parse("//other.example/x", base).host()).isEqualTo("other.example");
        assertThat(TargetUrl.parse("https://third.example", base).requestTarget()).isEqualTo("/");
    }

    @Test
    void keepsCanonicalLiterals() {
        assertThat(TargetUrl.parse("http://93.184.216.34/", null).literal()).isNotNull();
        TargetUrl v6 = TargetUrl.parse("http://[2606:4700:0::1111]:8443/", null);
        assertThat(v6.host()).isEqualTo("2606:4700::1111");
        assertThat(v6.hostHeader()).isEqualTo("[2606:4700::1111]:8443");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "file:///etc/passwd | only http and https URLs are fetched, not file:",
            "ftp://example.com/x | not ftp:", "gopher://example.com:70/ | not gopher:",
            "data:text/html,<b>x</b> | not data:", "jar:http://example.com/a.jar!/x | not jar:",
            "javascript:alert(1) | not javascript:", "//example.com/x | not an absolute URL",
            "/relative/path | not an absolute URL", "http:example.com | has no host", "http:/// | has no host",
            "http://user:pw@example.com/ | user info", "http://example.com@127.0.0.1/ | user info",
            "http://127.0.0.1\\@example.com/ | backslash", "http://example.com\\@127.0.0.1/ | backslash",
            "http://2130706433/ | 2130706433 is a non-canonical way to write 127.0.0.1, a loopback address",
            "http://127.1/ | 127.1 is a non-canonical way to write 127.0.0.1, a loopback address",
            "http://0177.0.0.1/ | 0177.0.0.1 is a non-canonical way to write 127.0.0.1",
            "http://0x7f.0.0.1/ | 0x7f.0.0.1 is a non-canonical way to write 127.0.0.1",
            "http://0x7f000001/ | 0x7f000001 is a non-canonical way to write 127.0.0.1",
            "http://127.0.0.1./ | 127.0.0.1. is a non-canonical way to write 127.0.0.1",
            "http://0/ | 0 is a non-canonical way to write 0.0.0.0, an unspecified address",
            "http://3232235777/ | 192.168.1.1, a private address",
            "http://0xa9.0xfe.0xa9.0xfe/ | 169.254.169.254, a link-local address",
            "http://1572395042/ | non-canonical way to write 93.184.216.34; write",
            "http://１２７．０．０．１/ | non-canonical way to write 127.0.0.1",
            "http://256.0.0.1/ | not a valid IPv4 address", "http://1.2.3.4.5/ | not a valid IPv4 address",
            "http://example.123/ | not a valid IPv4 address", "http://localhost./ | ending in a dot",
            "http://example.com./ | ending in a dot", "http://%31%32%37.0.0.1/ | percent-encoded",
            "http://%6c%6f%63%61%6c%68%6f%73%74/ | percent-encoded", "http://[fe80::1%25eth0]/ | percent-encoded",
            "http://[::ffff:7f00:1/ | not a valid URL", "http://[example.com]/ | not a valid",
            "http://[127.0.0.1]/ | not a valid", "http://example.com:0/ | not a valid port",
            "http://example.com:65536/ | not a valid port", "http://example.com:8o/ | not a valid port",
            "http://exa mple.com/ | percent-encoded", "http://ex*ample.com/ | not a valid",
            "http://a..b/ | not a valid", "'' | empty URL"})
    void refusesWhatParsersMightReadDifferently(String url, String message) {
        assertThatThrownBy(() -> TargetUrl.parse(url, null)).isInstanceOf(Rejected.class)
                .hasMessageStartingWith("refused: ").hasMessageContaining(message);
    }

    @Test
    void refusesControlCharacters() {
        assertThatThrownBy(() -> TargetUrl.parse("http://example.com/\nHost: evil", null))
                .isInstanceOf(Rejected.class).hasMessageContaining("control character");
        assertThatThrownBy(() -> TargetUrl.parse("http://exa\tmple.com/", null)).isInstanceOf(Rejected.class);
    }

    @Test
    void parsesIpv4NumbersTheWayBrowsersDo() {
        assertThat(HostParsing.whatwgIpv4("2130706433")).hasToString("/127.0.0.1");
        assertThat(HostParsing.whatwgIpv4("127.1")).hasToString("/127.0.0.1");
        assertThat(HostParsing.whatwgIpv4("127.0.1")).hasToString("/127.0.0.1");
        assertThat(HostParsing.whatwgIpv4("0x7f.1")).hasToString("/127.0.0.1");
        assertThat(HostParsing.whatwgIpv4("017700000001")).hasToString("/127.0.0.1");
        assertThat(HostParsing.whatwgIpv4("0x.0x.0")).hasToString("/0.0.0.0");
        assertThat(HostParsing.whatwgIpv4("4294967296")).isNull();
        assertThat(HostParsing.whatwgIpv4("1.256.0.0")).isNull();
        assertThat(HostParsing.whatwgIpv4("08.0.0.1")).isNull();
        assertThat(HostParsing.endsInNumber("example.com")).isFalse();
        assertThat(HostParsing.endsInNumber("example.0x1f")).isTrue();
        assertThat(HostParsing.dottedQuad("127.000.0.1")).isNull();
    }
}
