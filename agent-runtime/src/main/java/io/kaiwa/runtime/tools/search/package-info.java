/**
 * The {@code web_search} tool's search providers: a {@link io.kaiwa.runtime.tools.search.SearchProvider} SPI, a
 * SearXNG and a Brave Search implementation on Vert.x's HTTP client, and
 * {@link io.kaiwa.runtime.tools.search.SearchProviders#create} for the config layer.
 *
 * <p>
 * A search yields {@link io.kaiwa.runtime.tools.search.SearchResults}: their
 * {@link io.kaiwa.runtime.tools.search.SearchResults#action() action} fills the {@code web_search_call} item and
 * their {@link io.kaiwa.runtime.tools.search.SearchResults#render(int) rendering} is what the model reads. Plain
 * Java, no CDI: the wiring creates one provider from configuration and closes it on shutdown.
 */
package io.kaiwa.runtime.tools.search;
