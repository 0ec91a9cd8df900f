package io.kaiwa.core.content;

/** A citation attached to an {@link OutputText}. Unknown annotation types are kept whole. */
public sealed interface Annotation permits UrlCitation, UnknownAnnotation {
    /** @return the wire discriminator, e.g. {@code "url_citation"} */
    String type();
}
