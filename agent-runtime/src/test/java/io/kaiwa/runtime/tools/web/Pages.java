package io.kaiwa.runtime.tools.web;

/** Realistic pages for extraction tests: the boilerplate a news or blog page carries around its article. */
final class Pages {
    private Pages() {
    }

    static final String ARTICLE = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <title>The Last Days of the Kyoto City Tram | Rail History Weekly</title>
              <meta property="og:title" content="The Last Days of the Kyoto City Tram">
              <style>.ad-slot { height: 250px } body { font-family: serif }</style>
              <script>window.dataLayer = [{page: "article"}]; function track() { return "TRACKING"; }</script>
              <script type="application/ld+json">{"@type": "NewsArticle", "headline": "JSON-LD HEADLINE"}</script>
            </head>
            <body class="single-post">
              <div id="cookie-banner" class="cookie-consent">We use cookies. <button>Accept cookies</button></div>
              <header class="site-header">
                <a href="/" class="logo">Rail History Weekly</a>
                <nav class="main-nav"><ul>
                  <li><a href="/news">News</a></li><li><a href="/features">Features</a></li>
                  <li><a href="/archive">Archive</a></li><li><a href="/about">About us</a></li>
                </ul></nav>
              </header>
              <div class="breadcrumbs"><a href="/">Home</a> › <a href="/features">Features</a> › Trams</div>
              <div class="layout">
                <main id="main" class="site-main">
                  <article class="post">
                    <header class="entry-header">
                      <h1 class="entry-title">The Last Days of the Kyoto City Tram</h1>
                      <p class="byline">By <a href="/authors/sato">Hana Sato</a> · 12 March 2024</p>
                    </header>
                    <div class="share-buttons"><a href="#">Share on X</a> <a href="#">Share on Facebook</a></div>
                    <div class="entry-content">
                      <p>For more than eighty years, the Kyoto City Tram carried residents, students and pilgrims
                      between the temples, markets and railway stations of the old capital, and its green and cream
                      cars became as familiar as the city's wooden townhouses.</p>
                      <p>The first line opened in 1895 as the Kyoto Electric Railway, the first electric street
                      railway in Japan, powered by the hydroelectric plant at Keage on the Lake Biwa Canal.</p>
                      <div class="ad-slot advertisement">ADVERTISEMENT: Buy the new Shinkansen model kit today!</div>
                      <h2>Fares and tickets</h2>
                      <p>A single ride cost 15 yen in the early 1960s, and riders could buy books of eleven tickets
                      for the price of ten at any depot, a discount that made the tram the cheapest way to commute.</p>
                      <p>Students paid half fare with a school pass, and transfer tickets let passengers change
                      between lines at Shijo-Karasuma without paying a second fare, a rule kept until the end.</p>
                      <h2>Decline and closure</h2>
                      <p>As car ownership grew in the 1960s, traffic congestion slowed the trams, and the city
                      council decided that buses and a new subway would serve the city better than rails in the
                      streets.</p>
                      <p>The lines closed one by one, and the last tram ran on 30 September 1978, watched by tens of
                      thousands of people who lined Karasuma Street to say goodbye.</p>
                      <h2>What remains</h2>
                      <p>Several cars survive today: one stands in the Umekoji Park, others in museums, and a short
                      stretch of track can still be seen near the Keage incline, where tourists photograph it in
                      cherry blossom season.</p>
                    </div>
                    <div class="tags">Tags: <a href="/t/trams">trams</a>, <a href="/t/kyoto">kyoto</a></div>
                  </article>
                  <section id="comments" class="comments-area">
                    <h3>12 comments</h3>
                    <article class="comment"><p>I rode this tram as a child, it was wonderful and I miss it so
                    much, thank you for writing this, COMMENT TEXT.</p></article>
                    <article class="comment"><p>Great article, the photos from the closure day are amazing, please
                    write more about Osaka trams too, COMMENT TEXT.</p></article>
                  </section>
                  <div class="related-posts"><h3>Related</h3><ul>
                    <li><a href="/a">The Enoden at 120</a></li><li><a href="/b">Hiroshima's streetcars</a></li>
                  </ul></div>
                </main>
                <aside class="sidebar">
                  <div class="widget"><h3>Popular</h3><ul><li><a href="/p">Ten great railway museums</a></li></ul></div>
                  <div class="newsletter"><p>Subscribe to our newsletter for weekly rail history, delivered
                  every Friday, free of charge, unsubscribe any time.</p><form><input type="email"></form></div>
                </aside>
              </div>
              <footer class="site-footer"><p>© 2024 Rail History Weekly. All rights reserved. Privacy policy,
              terms of use, contact, advertise with us, careers, sitemap.</p></footer>
              <script>track(); document.write("INJECTED");</script>
              <!-- analytics comment that must not appear -->
            </body>
            </html>
            """;
}
