package io.kaiwa.runtime.tools.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.kaiwa.runtime.tools.web.AddressPolicy.AddressClass;

class AddressPolicyTest {
    /** An address literal as written, IPv6 kept as IPv6 even where Java would collapse it to IPv4. */
    static InetAddress ip(String literal) throws Exception {
        byte[] bytes = CidrBlock.literalBytes(literal);
        assertThat(bytes).as(literal).isNotNull();
        return bytes.length == 4 ? InetAddress.getByAddress(bytes) : Inet6Address.getByAddress(null, bytes, -1);
    }

    @Nested
    class Classification {
        @ParameterizedTest(name = "{0} is {1}")
        @CsvSource({"0.0.0.0, UNSPECIFIED", "0.1.2.3, THIS_NETWORK", "127.0.0.1, LOOPBACK", "127.255.255.254, LOOPBACK",
                "10.0.0.1, PRIVATE", "10.255.255.255, PRIVATE", "172.16.0.1, PRIVATE", "172.31.255.255, PRIVATE",
                "192.168.1.1, PRIVATE", "169.254.169.254, LINK_LOCAL", "169.254.0.1, LINK_LOCAL",
                "100.64.0.1, SHARED", "100.100.100.200, SHARED", "100.127.255.255, SHARED",
                "224.0.0.1, MULTICAST", "239.255.255.250, MULTICAST", "255.255.255.255, BROADCAST",
                "240.0.0.1, RESERVED", "250.1.2.3, RESERVED", "198.18.0.1, BENCHMARKING",
                "198.19.255.255, BENCHMARKING", "192.0.2.1, DOCUMENTATION", "198.51.100.7, DOCUMENTATION",
                "203.0.113.9, DOCUMENTATION", "192.0.0.170, SPECIAL_PURPOSE", "192.88.99.1, SPECIAL_PURPOSE",
                "93.184.216.34, PUBLIC", "8.8.8.8, PUBLIC", "172.15.255.255, PUBLIC", "172.32.0.0, PUBLIC",
                "100.63.255.255, PUBLIC", "100.128.0.0, PUBLIC", "198.20.0.0, PUBLIC", "11.0.0.1, PUBLIC"})
        void classifiesIpv4(String address, AddressClass expected) throws Exception {
            assertThat(AddressPolicy.classify(ip(address))).isEqualTo(expected);
        }

        @ParameterizedTest(name = "{0} is {1}")
        @CsvSource({"::, UNSPECIFIED", "::1, LOOPBACK", "fe80::1, LINK_LOCAL", "febf::1, LINK_LOCAL",
                "fc00::1, UNIQUE_LOCAL", "fd12:3456::1, UNIQUE_LOCAL", "fec0::1, SITE_LOCAL",
                "ff02::1, MULTICAST", "2001:db8::1, DOCUMENTATION", "3fff::1, DOCUMENTATION",
                "2001:2::1, BENCHMARKING", "2001::1, SPECIAL_PURPOSE", "100::1, SPECIAL_PURPOSE",
                "64:ff9b:1::1, SPECIAL_PURPOSE", "4000::1, RESERVED", "::2:0:0:1, RESERVED",
                // Forms that carry an IPv4 address take its class.
                "::ffff:127.0.0.1, LOOPBACK", "::ffff:7f00:1, LOOPBACK", "::ffff:a9fe:a9fe, LINK_LOCAL",
                "::ffff:10.0.0.1, PRIVATE", "::ffff:0:10.1.1.1, PRIVATE", "::127.0.0.1, LOOPBACK",
                "::192.168.0.1, PRIVATE", "64:ff9b::127.0.0.1, LOOPBACK", "64:ff9b::a9fe:a9fe, LINK_LOCAL",
                "2002:7f00:1::1, LOOPBACK", "2002:c0a8:101::1, PRIVATE", "2002:a9fe:a9fe::, LINK_LOCAL",
                "::ffff:0.0.0.0, UNSPECIFIED",
                // ... and when that IPv4 address is public, so is the IPv6 form (IPv4-compatible is deprecated).
                "::ffff:8.8.8.8, PUBLIC", "64:ff9b::8.8.8.8, PUBLIC", "2002:808:808::1, PUBLIC",
                "::8.8.8.8, RESERVED", "2606:4700::1111, PUBLIC", "2a00:1450:4001::200e, PUBLIC"})
        void classifiesIpv6(String address, AddressClass expected) throws Exception {
            assertThat(AddressPolicy.classify(ip(address))).isEqualTo(expected);
        }
    }

    @Nested
    class Checking {
        @Test
        void explainsRefusalsInOneSentence() throws Exception {
            assertThat(AddressPolicy.strict().check(ip("127.0.0.1"))).get()
                    .extracting(AddressPolicy.Refusal::reason).isEqualTo("127.0.0.1 is a loopback address");
            assertThat(AddressPolicy.strict().check(ip("169.254.169.254"))).get()
                    .extracting(AddressPolicy.Refusal::reason)
                    .isEqualTo("169.254.169.254 is a link-local address");
            assertThat(AddressPolicy.strict().check(ip("::ffff:7f00:1"))).get()
                    .extracting(AddressPolicy.Refusal::reason)
                    .isEqualTo("::ffff:7f00:1 is an IPv6 address carrying 127.0.0.1, a loopback address");
            assertThat(AddressPolicy.strict().check(ip("0:0:0:0:0:0:0:1"))).get()
                    .extracting(AddressPolicy.Refusal::reason).isEqualTo("::1 is a loopback address");
        }

        @Test
        void permitsPublicAddresses() throws Exception {
            assertThat(AddressPolicy.strict().check(ip("93.184.216.34"))).isEmpty();
            assertThat(AddressPolicy.strict().check(ip("2606:4700::1111"))).isEmpty();
        }

        @Test
        void allowlistOpensOnlyItsOwnRange() throws Exception {
            AddressPolicy policy = AddressPolicy.allowing(List.of("127.0.0.1/32", "10.1.0.0/16", "fd00:1::/32"));

            assertThat(policy.check(ip("127.0.0.1"))).isEmpty();
            assertThat(policy.check(ip("::ffff:127.0.0.1"))).isEmpty();
            assertThat(policy.check(ip("10.1.200.3"))).isEmpty();
            assertThat(policy.check(ip("fd00:1::5"))).isEmpty();
            assertThat(policy.check(ip("127.0.0.2"))).isPresent();
            assertThat(policy.check(ip("10.2.0.1"))).isPresent();
            assertThat(policy.check(ip("169.254.169.254"))).isPresent();
            assertThat(policy.check(ip("fd00:2::5"))).isPresent();
        }
    }

    @Nested
    class Cidrs {
        @Test
        void parsesBlocksAndSingleAddresses() throws Exception {
            assertThat(CidrBlock.parse("10.0.0.0/8").contains(ip("10.9.8.7"))).isTrue();
            assertThat(CidrBlock.parse("10.0.0.0/8").contains(ip("11.0.0.0"))).isFalse();
            assertThat(CidrBlock.parse("127.0.0.1").prefixLength()).isEqualTo(32);
            assertThat(CidrBlock.parse("::1").contains(ip("::1"))).isTrue();
            assertThat(CidrBlock.parse("0.0.0.0/0").contains(ip("8.8.8.8"))).isTrue();
            assertThat(CidrBlock.parse("0.0.0.0/0").contains(ip("::1"))).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "10.0.0.0/33", "10.0.0.1/8", "localhost/32", "010.0.0.0/8", "10.0.0/8",
                "10.0.0.0/", "10.0.0.0/x", "::1/129", "example.com"})
        void rejectsWhatIsNotARange(String text) {
            assertThatThrownBy(() -> CidrBlock.parse(text)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void settingsRejectABadAllowlistEagerly() {
            assertThatThrownBy(() -> FetchSettings.defaults().withAllowedPrivateCidrs(List.of("intranet")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("intranet");
        }
    }
}
