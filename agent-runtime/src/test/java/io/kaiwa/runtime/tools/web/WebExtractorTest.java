package io.kaiwa.runtime.tools.web;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;

/**
 * Fetching end to end against loopback servers only. Every connection goes through a recording {@link
 * PageFetcher.Dialer} that sends anything not on loopback to the canary, so no test can reach another address even if
 * the policy were broken; the canary (127.0.0.2, on WireMock's port) must never see a connection.
 */
class WebExtractorTest {
    static Vertx vertx;
    static WireMockServer wireMock;
    static Canary canary;
    static final List<InetAddress> dialed = new CopyOnWriteArrayList<>();
    static int port;

    /** Every dial goes to the canary: for URLs that must be refused before any connection. */
    static final PageFetcher.Dialer TO_CANARY = (address, p) -> {
        dialed.add(address);
        return SocketAddress.inetSocketAddress(canary.port(), canary.host());
    };

    /** Loopback dials go where they point (WireMock, or the canary on 127.0.0.2); anything else to the canary. */
    static final PageFetcher.Dialer LOOPBACK_ONLY = (address, p) -> {
        dialed.add(address);
        return address.isLoopbackAddress()
                ? PageFetcher.DIRECT.dial(address, p)
                : SocketAddress.inetSocketAddress(canary.port(), canary.host());
    };

    static final FetchSettings WIREMOCK_ALLOWED = FetchSettings.defaults().withAllowedPrivateCidrs(
            List.of("127.0.0.1/32"));

    final List<WebExtractor> extractors = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        wireMock = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        wireMock.start();
        port = wireMock.port();
        // Same port, next loopback address: whatever a rebinding answer or a redirect to 127.0.0.2 would reach.
        canary = new Canary("127.0.0.2", port);
    }

    @AfterAll
    static void stop() throws Exception {
        assertThat(canary.connections()).as("connections the canary accepted in the whole class").isZero();
        canary.close();
        wireMock.stop();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @BeforeEach
    void reset() {
        wireMock.resetAll();
        dialed.clear();
    }

    @AfterEach
    void closeAndCheckCanary() {
        extractors.forEach(WebExtractor::close);
        assertThat(canary.connections()).as("connections the canary accepted").isZero();
    }

    WebExtractor extractor(FetchSettings settings, HostResolver resolver, PageFetcher.Dialer dialer) {
        WebExtractor e = new WebExtractor(vertx, settings, resolver, dialer);
        extractors.add(e);
        return e;
    }

    static Extraction await(Uni<Extraction> uni) {
        return uni.subscribe().withSubscriber(UniAssertSubscriber.create()).awaitItem(Duration.ofSeconds(15))
                .getItem();
    }

    static PageResult only(Extraction extraction) {
        assertThat(extraction.pages()).hasSize(1);
        return extraction.pages().get(0);
    }

    static String error(PageResult result) {
        assertThat(result).isInstanceOf(PageResult.Failure.class);
        return ((PageResult.Failure) result).error();
    }

    static String wm(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    static InetAddress ip(String literal) {
        try {
            return AddressPolicyTest.ip(literal);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Answers from a script and counts the questions; the scripted names do not exist in real DNS. */
    static final class ScriptedResolver implements HostResolver {
        final Map<String, List<List<InetAddress>>> answers;
        final AtomicInteger calls = new AtomicInteger();
        final List<Boolean> onEventLoop = new CopyOnWriteArrayList<>();

        ScriptedResolver(Map<String, List<List<InetAddress>>> answers) {
            this.answers = answers;
        }

        @Override
        public List<InetAddress> resolve(String host) throws UnknownHostException {
            int n = calls.getAndIncrement();
            onEventLoop.add(Context.isOnEventLoopThread());
            List<List<InetAddress>> script = answers.get(host);
            if (script == null) {
                throw new UnknownHostException(host);
            }
            return script.get(Math.min(n, script.size() - 1));
        }
    }

    /** Destinations that must never be reached, none of them 127.0.0.1 (which some tests allowlist for WireMock). */
    static List<String> forbiddenUrls() {
        String p = ":" + port;
        return List.of(
                // loopback, unspecified
                "http://127.0.0.2" + p + "/", "http://127.255.255.254/", "http://[::1]" + p + "/",
                "http://0.0.0.0" + p + "/", "http://[::]/",
                // private, link-local and metadata, CGNAT, ULA
                "http://10.0.0.1/", "http://172.16.0.1/", "http://172.31.255.254/", "http://192.168.0.1/",
                "http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/", "http://100.64.0.1/",
                "http://100.100.100.200/latest/meta-data/", "http://[fc00::1]/", "http://[fd00:ec2::254]/",
                // IPv4 carried in IPv6
                "http://[::ffff:127.0.0.2]" + p + "/", "http://[::ffff:7f00:2]" + p + "/",
                "http://[::ffff:a9fe:a9fe]/", "http://[::ffff:10.0.0.1]/", "http://[::127.0.0.2]/",
                "http://[64:ff9b::a9fe:a9fe]/", "http://[64:ff9b::7f00:2]/", "http://[2002:a9fe:a9fe::]/",
                "http://[2002:c0a8:101::1]/",
                // multicast, broadcast, reserved, benchmarking, documentation
                "http://224.0.0.1/", "http://[ff02::1]/", "http://255.255.255.255/", "http://240.0.0.1/",
                "http://198.18.0.1/", "http://192.0.2.1/", "http://198.51.100.1/", "http://203.0.113.1/",
                "http://[2001:db8::1]/",
                // odd encodings of 127.0.0.2 and others
                "http://2130706434" + p + "/", "http://127.2" + p + "/", "http://0177.0.0.2" + p + "/",
                "http://0x7f.0.0.2" + p + "/", "http://0x7f000002" + p + "/", "http://127.0.0.2." + p + "/",
                "http://%31%32%37.0.0.2" + p + "/", "http://localhost." + p + "/", "http://0" + p + "/",
                "http://2852039166/", "http://0251.0376.0251.0376/",
                // schemes and user info
                "file:///etc/passwd", "ftp://127.0.0.2" + p + "/", "gopher://127.0.0.2" + p + "/_GET",
                "data:text/html,hello", "jar:http://127.0.0.2" + p + "/x.jar!/", "dict://127.0.0.2" + p + "/",
                "http://user:pass@example.com/", "http://example.com@127.0.0.2" + p + "/",
                // host names whose answers are not public (scripted)
                "http://internal.test" + p + "/", "http://metadata.test/", "http://mixed.test/",
                "http://mapped.test/");
    }

    static ScriptedResolver forbiddenNames() {
        return new ScriptedResolver(Map.of("internal.test", List.of(List.of(ip("127.0.0.2"))), "metadata.test",
                List.of(List.of(ip("169.254.169.254"))), "mixed.test",
                List.of(List.of(ip("93.184.216.34"), ip("10.0.0.1"))), "mapped.test",
                List.of(List.of(ip("::ffff:7f00:2"))), "localhost", List.of(List.of(ip("127.0.0.1")))));
    }

    @Nested
    class SsrfBattery {
        @Test
        void refusesEveryForbiddenDestinationWithoutConnecting() {
            List<String> urls = new ArrayList<>(forbiddenUrls());
            urls.addAll(List.of("http://127.0.0.1/", "http://2130706433/", "http://127.1/", "http://0177.0.0.1/",
                    "http://0x7f.0.0.1/", "http://[::ffff:7f00:1]/", "http://[::ffff:127.0.0.1]/",
                    "http://localhost/"));
            FetchSettings settings = new FetchSettings(urls.size(), 5, 2048, Duration.ofSeconds(5), 8000,
                    List.of(), FetchSettings.DEFAULT_CONTENT_TYPES, "test");

            Extraction extraction = await(extractor(settings, forbiddenNames(), TO_CANARY).extract(urls, "x"));

            assertThat(extraction.pages()).hasSize(urls.size());
            for (PageResult result : extraction.pages()) {
                assertThat(error(result)).as(result.url()).startsWith("refused: ");
            }
            assertThat(extraction.allFailed()).isTrue();
            assertThat(dialed).isEmpty();
        }

        @Test
        void namesTheReasonTheModelCanActOn() {
            FetchSettings settings = new FetchSettings(10, 5, 2048, Duration.ofSeconds(5), 8000, List.of(),
                    FetchSettings.DEFAULT_CONTENT_TYPES, "test");
            Extraction extraction = await(extractor(settings, forbiddenNames(), TO_CANARY).extract(
                    List.of("http://127.0.0.1/", "http://metadata.test/", "http://mixed.test/",
                            "http://2130706433/", "file:///etc/passwd", "http://[::ffff:7f00:1]/"),
                    "x"));

            assertThat(extraction.pages()).extracting(WebExtractorTest::error).containsExactly(
                    "refused: 127.0.0.1 is a loopback address",
                    "refused: metadata.test resolves to 169.254.169.254, a link-local address",
                    "refused: mixed.test resolves to 10.0.0.1, a private address",
                    "refused: 2130706433 is a non-canonical way to write 127.0.0.1, a loopback address; "
                            + "write the address as a plain dotted quad",
                    "refused: only http and https URLs are fetched, not file:",
                    "refused: ::ffff:7f00:1 is an IPv6 address carrying 127.0.0.1, a loopback address");
            assertThat(extraction.output()).contains("[1] http://127.0.0.1/\nError: refused: 127.0.0.1 is a "
                    + "loopback address\n\n[2] http://metadata.test/\nError: refused:");
            assertThat(dialed).isEmpty();
        }

        @ParameterizedTest(name = "HTTP {0}")
        @ValueSource(ints = {301, 302, 303, 307, 308})
        void refusesRedirectsToEveryForbiddenDestination(int status) {
            List<String> targets = forbiddenUrls();
            List<String> urls = new ArrayList<>();
            for (int i = 0; i < targets.size(); i++) {
                wireMock.stubFor(get("/r/" + i).willReturn(
                        aResponse().withStatus(status).withHeader("Location", targets.get(i))));
                urls.add(wm("/r/" + i));
            }
            FetchSettings settings = new FetchSettings(urls.size(), 5, 2048, Duration.ofSeconds(5), 8000,
                    List.of("127.0.0.1/32"), FetchSettings.DEFAULT_CONTENT_TYPES, "test");

            Extraction extraction = await(extractor(settings, forbiddenNames(), LOOPBACK_ONLY).extract(urls, "x"));

            for (int i = 0; i < urls.size(); i++) {
                assertThat(error(extraction.pages().get(i))).as(targets.get(i)).startsWith("refused: ");
            }
            wireMock.verify(urls.size(), anyRequestedFor(anyUrl()));
            assertThat(dialed).hasSize(urls.size()).allMatch(a -> a.getHostAddress().equals("127.0.0.1"));
        }

        @Test
        void refusesARedirectChainLongerThanTheLimit() {
            for (int i = 0; i < 7; i++) {
                wireMock.stubFor(get("/chain/" + i).willReturn(
                        aResponse().withStatus(302).withHeader("Location", "/chain/" + (i + 1))));
            }

            String error = error(only(await(extractor(WIREMOCK_ALLOWED, HostResolver.system(), LOOPBACK_ONLY)
                    .extract(List.of(wm("/chain/0")), "x"))));

            assertThat(error).isEqualTo("refused: too many redirects (more than 5); the last one was from "
                    + wm("/chain/5"));
            wireMock.verify(6, anyRequestedFor(anyUrl()));
        }

        @Test
        void followsAChainOfExactlyTheLimit() {
            for (int i = 0; i < 5; i++) {
                wireMock.stubFor(get("/chain/" + i).willReturn(
                        aResponse().withStatus(i % 2 == 0 ? 301 : 307).withHeader("Location", "/chain/" + (i + 1))));
            }
            wireMock.stubFor(get("/chain/5").willReturn(
                    aResponse().withHeader("Content-Type", "text/plain").withBody("arrived")));

            PageResult result = only(await(extractor(WIREMOCK_ALLOWED, HostResolver.system(), LOOPBACK_ONLY)
                    .extract(List.of(wm("/chain/0")), "x")));

            assertThat(result).isEqualTo(new PageResult.Page(wm("/chain/0"), wm("/chain/5"), "", "arrived"));
        }

        @Test
        void refusesANameTheSystemResolvesToLoopback() {
            String error = error(only(await(extractor(FetchSettings.defaults(), HostResolver.system(), TO_CANARY)
                    .extract(List.of("http://localhost:" + port + "/"), "x"))));

            assertThat(error).startsWith("refused: localhost resolves to ").contains("a loopback address");
            assertThat(dialed).isEmpty();
        }
    }

    @Nested
    class DnsRebinding {
        ScriptedResolver rebinding() {
            // First answer allowlisted (WireMock), every later one the canary's address.
            return new ScriptedResolver(Map.of("rebind.test", List.of(List.of(ip("127.0.0.1")),
                    List.of(ip("127.0.0.2")))));
        }

        @Test
        void connectsOnlyToTheAddressThatWasChecked() {
            wireMock.stubFor(get("/page").willReturn(
                    aResponse().withHeader("Content-Type", "text/plain; charset=utf-8").withBody("from wiremock")));
            ScriptedResolver resolver = rebinding();

            PageResult result = only(await(extractor(WIREMOCK_ALLOWED, resolver, LOOPBACK_ONLY)
                    .extract(List.of("http://rebind.test:" + port + "/page"), "x")));

            assertThat(result).isInstanceOf(PageResult.Page.class);
            assertThat(((PageResult.Page) result).text()).isEqualTo("from wiremock");
            assertThat(resolver.calls).hasValue(1);
            assertThat(dialed).containsExactly(ip("127.0.0.1"));
            wireMock.verify(1, getRequestedFor(urlEqualTo("/page")).withHeader("Host",
                    equalTo("rebind.test:" + port)));
        }

        @Test
        void checksTheNewAnswerAgainOnARedirectToTheSameHost() {
            wireMock.stubFor(get("/first").willReturn(
                    aResponse().withStatus(302).withHeader("Location", "/second")));
            ScriptedResolver resolver = rebinding();

            String error = error(only(await(extractor(WIREMOCK_ALLOWED, resolver, LOOPBACK_ONLY)
                    .extract(List.of("http://rebind.test:" + port + "/first"), "x"))));

            assertThat(error).isEqualTo("refused: rebind.test resolves to 127.0.0.2, a loopback address");
            assertThat(resolver.calls).hasValue(2);
            assertThat(dialed).containsExactly(ip("127.0.0.1"));
        }

        @Test
        void refusesAnAnswerThatMixesAllowedAndForbiddenAddresses() {
            ScriptedResolver resolver = new ScriptedResolver(Map.of("both.test",
                    List.of(List.of(ip("127.0.0.1"), ip("127.0.0.2")))));

            String error = error(only(await(extractor(WIREMOCK_ALLOWED, resolver, LOOPBACK_ONLY)
                    .extract(List.of("http://both.test:" + port + "/"), "x"))));

            assertThat(error).isEqualTo("refused: both.test resolves to 127.0.0.2, a loopback address");
            assertThat(dialed).isEmpty();
        }

        @Test
        void resolvesOffTheEventLoop() {
            ScriptedResolver resolver = rebinding();
            wireMock.stubFor(get("/page").willReturn(aResponse().withHeader("Content-Type", "text/plain")
                    .withBody("ok")));

            // Subscribed from an event loop, as the agent loop does.
            Uni<Extraction> onLoop = Uni.createFrom().emitter(em -> vertx.runOnContext(v -> extractor(
                    WIREMOCK_ALLOWED, resolver, LOOPBACK_ONLY).extract(
                            List.of("http://rebind.test:" + port
                                    + "/page"),
                            "x")
                    .subscribe().with(em::complete, em::fail)));

            assertThat(only(await(onLoop))).isInstanceOf(PageResult.Page.class);
            assertThat(resolver.onEventLoop).containsExactly(false);
        }

        @Test
        void reportsANameThatDoesNotResolve() {
            String error = error(only(await(extractor(FetchSettings.defaults(), rebinding(), TO_CANARY)
                    .extract(List.of("http://nowhere.test/"), "x"))));

            assertThat(error).isEqualTo("could not resolve nowhere.test");
        }
    }

    @Nested
    class Limits {
        @Test
        void refusesADeclaredOversizeBodyUnread() {
            wireMock.stubFor(get("/big").willReturn(
                    aResponse().withHeader("Content-Type", "text/html").withHeader("Content-Length", "5000")
                            .withBody("x".repeat(5000))));

            String error = error(only(await(extractor(WIREMOCK_ALLOWED.withMaxBodyBytes(1000),
                    HostResolver.system(), LOOPBACK_ONLY).extract(List.of(wm("/big")), "x"))));

            assertThat(error).isEqualTo("refused: " + wm("/big") + " is 5000 bytes, more than the limit of "
                    + "1000 bytes");
        }

        @Test
        void stopsReadingAStreamedBodyAtTheLimit() {
            wireMock.stubFor(get("/stream").willReturn(aResponse().withHeader("Content-Type", "text/html")
                    .withBody("y".repeat(50_000)).withChunkedDribbleDelay(50, 200)));

            String error = error(only(await(extractor(WIREMOCK_ALLOWED.withMaxBodyBytes(1000),
                    HostResolver.system(), LOOPBACK_ONLY).extract(List.of(wm("/stream")), "x"))));

            assertThat(error).startsWith("refused: " + wm("/stream") + " is ")
                    .endsWith("the limit of 1000 bytes");
        }

        @Test
        void timesOutWaitingForHeaders() {
            wireMock.stubFor(get("/slow").willReturn(
                    aResponse().withHeader("Content-Type", "text/html").withBody("late").withFixedDelay(5000)));

            String error = error(only(await(extractor(WIREMOCK_ALLOWED.withTimeout(Duration.ofMillis(500)),
                    HostResolver.system(), LOOPBACK_ONLY).extract(List.of(wm("/slow")), "x"))));

            assertThat(error).isEqualTo("timed out after 500 ms reading " + wm("/slow"));
        }

        @Test
        void timesOutABodyThatTrickles() {
            wireMock.stubFor(get("/trickle").willReturn(aResponse().withHeader("Content-Type", "text/plain")
                    .withBody("z".repeat(100)).withChunkedDribbleDelay(20, 6000)));

            long start = System.nanoTime();
            String error = error(only(await(extractor(WIREMOCK_ALLOWED.withTimeout(Duration.ofMillis(800)),
                    HostResolver.system(), LOOPBACK_ONLY).extract(List.of(wm("/trickle")), "x"))));

            assertThat(error).isEqualTo("timed out after 800 ms reading " + wm("/trickle"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"application/pdf", "image/png", "application/json", "application/octet-stream"})
        void refusesContentTypesNotRead(String type) {
            wireMock.stubFor(get("/file").willReturn(aResponse().withHeader("Content-Type", type).withBody("%PDF")));

            String error = error(only(await(extractor(WIREMOCK_ALLOWED, HostResolver.system(), LOOPBACK_ONLY)
                    .extract(List.of(wm("/file")), "x"))));

            assertThat(error).isEqualTo("refused: " + wm("/file") + " is " + type + ", which is not read (only "
                    + "text/html, application/xhtml+xml, text/plain)");
        }

        @Test
        void refusesAResponseWithoutContentType() {
            wireMock.stubFor(get("/unknown").willReturn(aResponse().withBody("?")));

            String error = error(only(await(extractor(WIREMOCK_ALLOWED, HostResolver.system(), LOOPBACK_ONLY)
                    .extract(List.of(wm("/unknown")), "x"))));

            assertThat(error).isEqualTo("refused: " + wm("/unknown") + " did not say what it is (no Content-Type)");
        }

        @Test
        void refusesACompressedBodyItDidNotAskFor() {
            wireMock.stubFor(get("/gz").willReturn(aResponse().withHeader("Content-Type", "text/html")
                    .withHeader("Content-Encoding", "gzip").withBody(new byte[]{31, -117, 8, 0})));

            String error = error(only(await(extractor(WIREMOCK_ALLOWED, HostResolver.system(), LOOPBACK_ONLY)
                    .extract(List.of(wm("/gz")), "x"))));

            assertThat(error).contains("sent a compressed body (gzip)");
        }

        @ParameterizedTest(name = "HTTP {0}")
        @MethodSource("io.kaiwa.runtime.tools.web.WebExtractorTest#errorStatuses")
        void reportsErrorStatuses(int status, String expected) {
            wireMock.stubFor(get("/status").willReturn(aResponse().withStatus(status)
                    .withHeader("Content-Type", "text/html").withBody("<p>error page</p>")));

            String error = error(only(await(extractor(WIREMOCK_ALLOWED, HostResolver.system(), LOOPBACK_ONLY)
                    .extract(List.of(wm("/status")), "x"))));

            assertThat(error).isEqualTo(expected + " from " + wm("/status"));
        }

        @Test
        void reportsARedirectWithoutLocation() {
            wireMock.stubFor(get("/nowhere").willReturn(aResponse().withStatus(302)));

            String error = error(only(await(extractor(WIREMOCK_ALLOWED, HostResolver.system(), LOOPBACK_ONLY)
                    .extract(List.of(wm("/nowhere")), "x"))));

            assertThat(error).isEqualTo("HTTP 302 from " + wm("/nowhere") + " without a Location header");
        }

        @Test
        void reportsARefusedConnection() throws Exception {
            int closed;
            try (var s = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                closed = s.getLocalPort();
            }

            String error = error(only(await(extractor(WIREMOCK_ALLOWED, HostResolver.system(), LOOPBACK_ONLY)
                    .extract(List.of("http://127.0.0.1:" + closed + "/"), "x"))));

            assertThat(error).startsWith("could not connect to 127.0.0.1:" + closed + ": ");
        }

        @Test
        void answersUrlsBeyondTheLimitWithAnError() {
            List<String> urls = Stream.of(1, 2, 3, 4, 5, 6).map(i -> "http://10.0.0." + i + "/").toList();

            Extraction extraction = await(extractor(FetchSettings.defaults(), forbiddenNames(), TO_CANARY)
                    .extract(urls, "x"));

            assertThat(extraction.pages()).hasSize(6);
            assertThat(error(extraction.pages().get(5))).isEqualTo("skipped: at most 5 URLs are read per call");
        }

        @Test
        void checksArgumentsEagerly() {
            WebExtractor e = extractor(FetchSettings.defaults(), forbiddenNames(), TO_CANARY);

            assertThatThrownBy(() -> e.extract(null, "x")).isInstanceOf(NullPointerException.class);
            assertThat(await(e.extract(List.of(), "x")).output()).isEqualTo("No URLs were given.");
        }
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> errorStatuses() {
        return Stream.of(org.junit.jupiter.params.provider.Arguments.of(404, "HTTP 404 Not Found"),
                org.junit.jupiter.params.provider.Arguments.of(403, "HTTP 403 Forbidden"),
                org.junit.jupiter.params.provider.Arguments.of(500, "HTTP 500 Server Error"),
                org.junit.jupiter.params.provider.Arguments.of(503, "HTTP 503 Service Unavailable"),
                org.junit.jupiter.params.provider.Arguments.of(304, "HTTP 304 Not Modified"),
                org.junit.jupiter.params.provider.Arguments.of(300, "HTTP 300 Multiple Choices"));
    }

    @Nested
    class Reading {
        @Test
        void sendsAnHonestRequestAndReturnsTheArticle() {
            wireMock.stubFor(get("/article").willReturn(aResponse()
                    .withHeader("Content-Type", "text/html; charset=utf-8").withBody(Pages.ARTICLE)));

            Extraction extraction = await(extractor(WIREMOCK_ALLOWED, HostResolver.system(), LOOPBACK_ONLY)
                    .extract(List.of(wm("/article"), "http://10.0.0.1/"), "tram fares ticket price"));

            PageResult.Page page = (PageResult.Page) extraction.pages().get(0);
            assertThat(page.title()).isEqualTo("The Last Days of the Kyoto City Tram");
            assertThat(page.text()).startsWith("# The Last Days of the Kyoto City Tram\n\n")
                    .contains("A single ride cost 15 yen").doesNotContain("Subscribe to our newsletter")
                    .doesNotContain("Accept cookies");
            assertThat(extraction.output()).startsWith("[1] " + wm("/article") + "\n# The Last Days")
                    .contains("\n\n[2] http://10.0.0.1/\nError: refused: 10.0.0.1 is a private address");
            wireMock.verify(getRequestedFor(urlEqualTo("/article"))
                    .withHeader("Host", equalTo("127.0.0.1:" + port))
                    .withHeader("User-Agent", equalTo("Kaiwa-WebExtractor/1.0"))
                    .withHeader("Accept-Encoding", equalTo("identity"))
                    .withHeader("Accept", equalTo("text/html, application/xhtml+xml, text/plain;q=0.9, */*;q=0.1")));
        }

        @Test
        void trimsEachPageToItsShareOfTheBudget() {
            wireMock.stubFor(get(urlPathEqualTo("/article")).willReturn(aResponse()
                    .withHeader("Content-Type", "text/html").withBody(Pages.ARTICLE)));
            FetchSettings settings = WIREMOCK_ALLOWED.withOutputBudgetChars(1200);

            Extraction extraction = await(extractor(settings, HostResolver.system(), LOOPBACK_ONLY)
                    .extract(List.of(wm("/article"), wm("/article?again")), "fares"));

            assertThat(extraction.pages()).allSatisfy(p -> assertThat(((PageResult.Page) p).text().length())
                    .isLessThanOrEqualTo(600));
            assertThat(((PageResult.Page) extraction.pages().get(0)).text()).contains("15 yen");
        }

        @Test
        void decodesTheCharsetTheServerNames() {
            wireMock.stubFor(get("/latin1").willReturn(aResponse()
                    .withHeader("Content-Type", "text/plain; charset=ISO-8859-1")
                    .withBody("caf\u00e9 cr\u00e8me".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))));

            PageResult.Page page = (PageResult.Page) only(await(extractor(WIREMOCK_ALLOWED,
                    HostResolver.system(), LOOPBACK_ONLY).extract(List.of(wm("/latin1")), "")));

            assertThat(page.text()).isEqualTo("café crème");
        }
    }
}
