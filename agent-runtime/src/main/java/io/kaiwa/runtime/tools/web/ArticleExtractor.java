package io.kaiwa.runtime.tools.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;

import io.kaiwa.runtime.tools.text.Whitespace;

/**
 * Finds a page's main text, readability-style, on jsoup's DOM: boilerplate containers (navigation, sidebars, ads,
 * footers, comments, scripts, forms, hidden elements) are dropped, the remaining paragraphs score their ancestors by
 * length and commas, the best-scoring container wins after a link-density penalty, and its siblings that look like
 * more of the same text join it. Stateless; CPU-bound, so callers run it on a worker thread for large pages.
 */
final class ArticleExtractor {
    /** Never content: removed before scoring. */
    private static final String JUNK = "script, style, noscript, template, iframe, object, embed, svg, canvas, "
            + "form, button, input, select, textarea, nav, aside, footer, header, dialog, menu, [hidden], "
            + "[aria-hidden=true], [role=navigation], [role=banner], [role=complementary], [role=contentinfo], "
            + "[role=dialog], [role=alertdialog], [role=search]";
    /** class/id words that mark boilerplate even next to a content word (e.g. "comment-content"). */
    private static final Set<String> STRONG_UNLIKELY = Set.of("ad", "ads", "adsense", "advert", "advertisement",
            "advertising", "banner", "comment", "comments", "disqus", "cookie", "cookies", "consent", "footer",
            "newsletter", "outbrain", "popup", "promo", "sidebar", "sponsor", "sponsored", "subscribe", "taboola",
            "masthead", "breadcrumb", "breadcrumbs", "social", "share", "sharing");
    /** class/id words that mark boilerplate unless a content word is present too. */
    private static final Set<String> WEAK_UNLIKELY = Set.of("header", "menu", "nav", "navbar", "navigation",
            "pagination", "pager", "related", "widget", "tags", "toolbar", "skip", "signup", "modal", "rss", "print",
            "meta", "byline", "author", "login", "search");
    private static final Set<String> LIKELY = Set.of("article", "body", "content", "entry", "main", "post", "story",
            "text", "blog", "hentry", "prose");
    private static final Set<String> SCORED = Set.of("p", "pre", "td", "blockquote");
    private static final Set<String> CONTAINERS = Set.of("div", "section", "article", "main");

    private ArticleExtractor() {
    }

    /**
     * @param bytes an HTML or XHTML page
     * @param charset the charset the server named, or {@code null} to detect it (BOM, {@code <meta>}, UTF-8)
     * @param baseUri the page's URL
     * @return its title and main text
     */
    static Article fromHtml(byte[] bytes, String charset, String baseUri) {
        Document doc;
        try {
            doc = Jsoup.parse(new ByteArrayInputStream(bytes), supported(charset), baseUri);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fromDocument(doc);
    }

    /**
     * @param html an HTML page
     * @return its title and main text
     */
    static Article fromHtml(String html) {
        return fromDocument(Jsoup.parse(html));
    }

    /**
     * @param bytes a plain-text body
     * @param charset its charset, or {@code null} for UTF-8
     * @return the text split at blank lines, without a title
     */
    static Article fromText(byte[] bytes, String charset) {
        String cs = supported(charset);
        String text = new String(bytes, cs == null ? StandardCharsets.UTF_8 : Charset.forName(cs));
        List<String> paragraphs = new ArrayList<>();
        for (String block : text.replace("\r\n", "\n").split("\n\\s*\n")) {
            String p = block.strip();
            if (!p.isEmpty()) {
                paragraphs.add(p);
            }
        }
        return new Article("", paragraphs);
    }

    private static Article fromDocument(Document doc) {
        String title = title(doc);
        Element body = doc.body();
        if (body == null) {
            return new Article(title, List.of());
        }
        clean(body);
        Map<Element, Double> scores = scores(body);
        Element top = best(body, scores);
        List<String> blocks = new ArrayList<>();
        for (Element part : withSiblings(top, scores)) {
            collect(part, blocks);
        }
        if (blocks.isEmpty() && top != body) {
            collect(body, blocks);
        }
        // The page's own heading repeats the title: keep it once.
        if (!blocks.isEmpty() && blocks.get(0).replaceFirst("^#+ ", "").equalsIgnoreCase(title)) {
            blocks.remove(0);
        }
        return new Article(title, blocks);
    }

    private static String title(Document doc) {
        Element og = doc.selectFirst("meta[property=og:title][content]");
        if (og != null && !og.attr("content").isBlank()) {
            return Whitespace.collapse(og.attr("content"));
        }
        if (!doc.title().isBlank()) {
            return Whitespace.collapse(doc.title());
        }
        Element h1 = doc.selectFirst("h1");
        return h1 == null ? "" : Whitespace.collapse(h1.text());
    }

    private static void clean(Element body) {
        body.select(JUNK).remove();
        for (Element e : body.select("[style]")) {
            String style = e.attr("style").replace(" ", "").toLowerCase(Locale.ROOT);
            if (style.contains("display:none") || style.contains("visibility:hidden")) {
                e.remove();
            }
        }
        List<Element> unlikely = new ArrayList<>();
        for (Element e : body.getAllElements()) {
            if (e == body || e.normalName().equals("article") || e.normalName().equals("main")) {
                continue;
            }
            List<String> words = words(e);
            boolean likely = words.stream().anyMatch(LIKELY::contains);
            boolean strong = words.stream().anyMatch(STRONG_UNLIKELY::contains);
            boolean weak = words.stream().anyMatch(WEAK_UNLIKELY::contains);
            if ((strong || (weak && !likely)) && e.selectFirst("h1, main, [itemprop=articleBody]") == null) {
                unlikely.add(e);
            }
        }
        unlikely.forEach(Node::remove);
    }

    /** The class and id of an element split into lower-case words: "post-body main_col" → post, body, main, col. */
    private static List<String> words(Element e) {
        String names = (e.className() + " " + e.id()).toLowerCase(Locale.ROOT);
        if (names.isBlank()) {
            return List.of();
        }
        return Arrays.stream(names.split("[^a-z0-9]+")).filter(w -> !w.isEmpty()).toList();
    }

    /**
     * Readability's scoring: each paragraph gives its parent its score, its grandparent half and its
     * great-grandparent a sixth; a container's own tag and class/id words set where it starts; links count against.
     */
    private static Map<Element, Double> scores(Element body) {
        Map<Element, Double> scores = new IdentityHashMap<>();
        for (Element e : body.getAllElements()) {
            boolean paragraph = SCORED.contains(e.normalName())
                    || (CONTAINERS.contains(e.normalName()) && !hasBlockChild(e));
            String text = paragraph ? e.text() : "";
            if (text.length() < 25) {
                continue;
            }
            double score = 1 + commas(text) + Math.min(text.length() / 100, 3);
            Element ancestor = e.parent();
            for (int level = 0; ancestor != null && level < 3; level++, ancestor = ancestor.parent()) {
                double share = level == 0 ? score : level == 1 ? score / 2 : score / (level * 3);
                double before = scores.containsKey(ancestor) ? scores.get(ancestor) : initialScore(ancestor);
                scores.put(ancestor, before + share);
            }
        }
        scores.replaceAll((e, score) -> score * (1 - linkDensity(e)));
        return scores;
    }

    private static Element best(Element body, Map<Element, Double> scores) {
        Element best = body;
        double bestScore = 0;
        for (Map.Entry<Element, Double> entry : scores.entrySet()) {
            if (entry.getValue() > bestScore) {
                best = entry.getKey();
                bestScore = entry.getValue();
            }
        }
        return best;
    }

    private static double initialScore(Element e) {
        double score = switch (e.normalName()) {
            case "article", "main" -> 10;
            case "div" -> 5;
            case "pre", "td", "blockquote" -> 3;
            case "address", "ol", "ul", "dl", "dd", "dt", "li", "form" -> -3;
            case "h1", "h2", "h3", "h4", "h5", "h6", "th" -> -5;
            default -> 0;
        };
        List<String> words = words(e);
        if (words.stream().anyMatch(LIKELY::contains)) {
            score += 25;
        }
        if (words.stream().anyMatch(w -> STRONG_UNLIKELY.contains(w) || WEAK_UNLIKELY.contains(w))) {
            score -= 25;
        }
        return score;
    }

    /** The winner and those of its siblings that carry enough text of their own. */
    private static List<Element> withSiblings(Element top, Map<Element, Double> scores) {
        Element parent = top.parent();
        if (parent == null || top.normalName().equals("body")) {
            return List.of(top);
        }
        double topScore = scores.getOrDefault(top, 0.0);
        double threshold = Math.max(10, topScore * 0.2);
        List<Element> out = new ArrayList<>();
        for (Element sibling : parent.children()) {
            if (sibling == top) {
                out.add(sibling);
                continue;
            }
            String text = sibling.text();
            double density = linkDensity(sibling);
            boolean scoredWell = scores.getOrDefault(sibling, 0.0) >= threshold;
            boolean prose = sibling.normalName().equals("p") && density < 0.25
                    && (text.length() > 80 || (text.length() > 0 && text.contains(". ")));
            if (scoredWell || prose) {
                out.add(sibling);
            }
        }
        return out;
    }

    /** Appends an element's readable blocks: leaf blocks whole, containers as their blocks and inline runs. */
    private static void collect(Element e, List<String> out) {
        String name = e.normalName();
        if (name.equals("pre")) {
            add(out, e.wholeText().strip(), 0);
            return;
        }
        if (!hasBlockDescendant(e)) {
            String prefix = heading(name)
                    ? "#".repeat(name.charAt(1) - '0') + " "
                    : name.equals("li") ? "- " : "";
            add(out, prefix + Whitespace.collapse(e.text()), prefix.length());
            return;
        }
        StringBuilder inline = new StringBuilder();
        for (Node child : e.childNodes()) {
            if (child instanceof TextNode text) {
                inline.append(text.getWholeText());
            } else if (child instanceof Element el) {
                if (el.isBlock() || hasBlockDescendant(el)) {
                    add(out, Whitespace.collapse(inline.toString()), 0);
                    inline.setLength(0);
                    collect(el, out);
                } else if (el.normalName().equals("br")) {
                    inline.append(' ');
                } else {
                    inline.append(el.text());
                }
            }
        }
        add(out, Whitespace.collapse(inline.toString()), 0);
    }

    private static void add(List<String> out, String block, int prefixLength) {
        if (block.length() <= prefixLength || (!out.isEmpty() && out.get(out.size() - 1).equals(block))) {
            return;
        }
        out.add(block);
    }

    private static boolean heading(String tag) {
        return tag.length() == 2 && tag.charAt(0) == 'h' && tag.charAt(1) >= '1' && tag.charAt(1) <= '6';
    }

    private static boolean hasBlockChild(Element e) {
        for (Element child : e.children()) {
            if (child.isBlock()) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasBlockDescendant(Element e) {
        for (Element d : e.getAllElements()) {
            if (d != e && d.isBlock()) {
                return true;
            }
        }
        return false;
    }

    private static double linkDensity(Element e) {
        int length = e.text().length();
        if (length == 0) {
            return 0;
        }
        int links = 0;
        for (Element a : e.select("a")) {
            links += a.text().length();
        }
        return Math.min(1, (double) links / length);
    }

    private static int commas(String text) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ',' || c == '，' || c == '、') {
                n++;
            }
        }
        return n;
    }

    private static String supported(String charset) {
        try {
            return charset != null && Charset.isSupported(charset) ? charset : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
