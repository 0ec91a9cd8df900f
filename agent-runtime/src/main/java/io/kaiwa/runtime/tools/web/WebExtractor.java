package io.kaiwa.runtime.tools.web;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * The engine of the {@code web_extractor} built-in tool: fetches pages safely, extracts their readable main text
 * and trims it to what serves the model's goal.
 *
 * <p>
 * <b>Fetching</b> refuses anything but http(s), URLs with user info and hosts written in ways parsers disagree on;
 * resolves each host once (on a worker thread) and refuses it when any answer is not a public address (see
 * {@link AddressPolicy}; {@link FetchSettings#allowedPrivateCidrs()} opens chosen ranges); connects to exactly the
 * checked address, so a second DNS answer cannot redirect it; follows at most
 * {@link FetchSettings#maxRedirects()} redirects, each checked the same way; and caps the body size, the content
 * types and the whole time per URL.
 *
 * <p>
 * <b>Extraction</b> keeps a page's title and main text (readability-style scoring on jsoup's DOM, off the event
 * loop), then keeps the paragraphs that best match the goal, in document order, within the page's share of
 * {@link FetchSettings#outputBudgetChars()}.
 *
 * <p>
 * Thread-safe; one instance serves any number of concurrent calls. {@link #close()} releases its HTTP client.
 */
public final class WebExtractor implements AutoCloseable {
    private final Vertx vertx;
    private final FetchSettings settings;
    private final PageFetcher fetcher;

    /**
     * Uses the operating system's resolver.
     *
     * @param vertx the Vert.x instance whose event loops and workers run the fetches; never {@code null}
     * @param settings limits and permissions; never {@code null}
     */
    public WebExtractor(Vertx vertx, FetchSettings settings) {
        this(vertx, settings, HostResolver.system());
    }

    /**
     * @param vertx the Vert.x instance whose event loops and workers run the fetches; never {@code null}
     * @param settings limits and permissions; never {@code null}
     * @param resolver how host names become addresses; called on worker threads; never {@code null}
     */
    public WebExtractor(Vertx vertx, FetchSettings settings, HostResolver resolver) {
        this(vertx, settings, resolver, PageFetcher.DIRECT);
    }

    /** Tests redirect connections with {@code dialer} so that no test can reach a non-loopback address. */
    WebExtractor(Vertx vertx, FetchSettings settings, HostResolver resolver, PageFetcher.Dialer dialer) {
        this.vertx = requireNonNull(vertx, "vertx");
        this.settings = requireNonNull(settings, "settings");
        this.fetcher = new PageFetcher(vertx, settings, requireNonNull(resolver, "resolver"),
                requireNonNull(dialer, "dialer"));
    }

    /**
     * Reads pages concurrently. Nothing happens before subscription.
     *
     * @param urls the pages to read, in the order results are wanted; beyond {@link FetchSettings#maxUrls()} each
     *        is answered with an error; a {@code null} element is answered with an error; never {@code null}
     * @param goal what the model wants to learn, steering which paragraphs are kept; {@code null} or blank keeps
     *        each page's beginning
     * @return one result per URL; the {@code Uni} never fails because of a URL or a page, whatever went wrong
     * @throws NullPointerException when {@code urls} is {@code null}
     */
    public Uni<Extraction> extract(List<String> urls, String goal) {
        List<String> requested = new ArrayList<>(requireNonNull(urls, "urls"));
        if (requested.isEmpty()) {
            return Uni.createFrom().item(new Extraction(List.of()));
        }
        List<Uni<Read>> reads = new ArrayList<>();
        for (int i = 0; i < requested.size(); i++) {
            String url = requested.get(i);
            if (url == null) {
                reads.add(Uni.createFrom().item(new Read("", null, null, "refused: empty URL")));
            } else if (i >= settings.maxUrls()) {
                reads.add(Uni.createFrom().item(new Read(url, null, null,
                        "skipped: at most " + settings.maxUrls() + " URLs are read per call")));
            } else {
                reads.add(read(url));
            }
        }
        return Uni.join().all(reads).andCollectFailures()
                .onItem().transformToUni(all -> blocking(() -> trimAll(all, goal)));
    }

    /** One URL fetched and parsed: an article or an error. */
    private record Read(String url, String finalUrl, Article article, String error) {
    }

    private Uni<Read> read(String url) {
        return fetcher.fetch(url).onItem().transformToUni(outcome -> {
            if (outcome instanceof PageFetcher.Outcome.Failure failure) {
                return Uni.createFrom().item(new Read(url, null, null, failure.message()));
            }
            if (outcome instanceof PageFetcher.Outcome.Body body) {
                // Parsing a 2 MiB page takes milliseconds of CPU: keep it off the event loop.
                return blocking(() -> new Read(url, body.url().toString(), parse(body), null))
                        .onFailure().recoverWithItem(e -> new Read(url, null, null, "could not read the page: " + e));
            }
            throw new AssertionError(outcome);
        });
    }

    private static Article parse(PageFetcher.Outcome.Body body) {
        byte[] bytes = body.bytes().getBytes();
        boolean html = body.mediaType().equals("text/html") || body.mediaType().equals("application/xhtml+xml");
        return html
                ? ArticleExtractor.fromHtml(bytes, body.charset(), body.url().toString())
                : ArticleExtractor.fromText(bytes, body.charset());
    }

    private Extraction trimAll(List<Read> reads, String goal) {
        long pages = reads.stream().filter(r -> r.article() != null).count();
        int share = pages == 0 ? settings.outputBudgetChars() : (int) (settings.outputBudgetChars() / pages);
        List<PageResult> results = new ArrayList<>(reads.size());
        for (Read r : reads) {
            if (r.article() == null) {
                results.add(new PageResult.Failure(r.url(), r.error()));
            } else {
                results.add(new PageResult.Page(r.url(), r.finalUrl(), r.article().title(),
                        GoalTrimmer.trim(r.article(), goal, share)));
            }
        }
        return new Extraction(results);
    }

    private <T> Uni<T> blocking(Callable<T> work) {
        return Uni.createFrom().completionStage(() -> vertx.executeBlocking(work, false).toCompletionStage());
    }

    /** Releases the HTTP client; calls still running fail their remaining URLs. */
    @Override
    public void close() {
        fetcher.close();
    }
}
