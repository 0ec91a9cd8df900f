package io.kaiwa.core.options;

/**
 * A tool the model may use in a turn, as the Responses API defines it: a {@link FunctionTool} the caller runs, or a
 * {@link HostedTool} the provider runs ({@code web_search}, {@code code_interpreter}, {@code web_extractor}, or any
 * other type, kept as it was given).
 */
public sealed interface Tool permits FunctionTool, HostedTool {
    /** @return the wire type, e.g. {@code function} or {@code web_search} */
    String type();
}
