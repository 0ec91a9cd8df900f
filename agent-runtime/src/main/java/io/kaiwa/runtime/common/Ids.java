package io.kaiwa.runtime.common;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Ids in OpenAI's form: a type prefix and 48 random hex digits, unguessable so ids can travel in URLs. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private Ids() {
    }

    /**
     * @param prefix e.g. {@code resp}, {@code msg}
     * @return a new id
     */
    public static String next(String prefix) {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return prefix + "_" + HEX.formatHex(bytes);
    }

    /**
     * @param itemType a Responses API item type
     * @return the prefix OpenAI uses for it
     */
    public static String prefixFor(String itemType) {
        return switch (itemType) {
            case "message" -> "msg";
            case "reasoning" -> "rs";
            case "function_call" -> "fc";
            case "function_call_output" -> "fco";
            case "web_search_call" -> "ws";
            case "web_extractor_call" -> "we";
            case "code_interpreter_call" -> "ci";
            default -> "item";
        };
    }
}
