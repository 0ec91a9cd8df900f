package io.kaiwa.runtime.common;

import java.security.SecureRandom;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;

/** Ids in OpenAI's form: a type prefix and 48 random hex digits, unguessable so ids can travel in URLs. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();
    private static final int RESPONSE_ID_LENGTH = "resp_".length() + 48;

    private Ids() {
    }

    /**
     * @param field a request's {@code conversation}: an id, or {@code {"id": ...}}
     * @return the id it names; {@code null} when there is none (no field, {@code null}, no id)
     */
    public static String conversation(JsonNode field) {
        if (field == null || field.isNull()) {
            return null;
        }
        String id = field.isTextual() ? field.asText() : field.path("id").asText(null);
        return id == null || id.isBlank() ? null : id;
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
     * @param id an id a client gave
     * @return whether it has the form of a response id this service makes: {@code resp_} and 48 hex digits. One
     *         that does not cannot exist, and is never sent to the database (a NUL byte would fail the query there).
     */
    public static boolean isResponseId(String id) {
        if (id == null || id.length() != RESPONSE_ID_LENGTH || !id.startsWith("resp_")) {
            return false;
        }
        for (int i = 5; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param id an id a client gave, of any form
     * @return it as an error message may quote it: at most 64 characters, control characters shown as {@code ?}
     */
    public static String shown(String id) {
        String head = id.length() <= 64 ? id : id.substring(0, 64) + "...";
        var sb = new StringBuilder(head.length());
        head.codePoints().forEach(c -> sb.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return sb.toString();
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
