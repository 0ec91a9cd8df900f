package io.kaiwa.core.item;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.core.internal.Copies;

/**
 * Code the model ran through the built-in {@code code_interpreter} tool ({@code code_interpreter_call}).
 *
 * @param id the provider's item id, or {@code null}
 * @param status {@code in_progress}, {@code interpreting}, {@code completed}, {@code incomplete} or
 *        {@code failed}, or {@code null}
 * @param code the code, or {@code null} while the model is still writing it
 * @param containerId the container the code ran in, or {@code null}
 * @param outputs logs and images the code produced; {@code null} means none
 * @param extra unmodelled wire fields; {@code null} means none
 */
public record CodeInterpreterCallItem(String id, String status, String code, String containerId,
        List<Output> outputs, Map<String, JsonNode> extra) implements Item {
    public CodeInterpreterCallItem {
        outputs = Copies.list(outputs, "outputs");
        extra = Copies.extra(extra);
    }

    @Override
    public String type() {
        return "code_interpreter_call";
    }

    /** One output of the code: its logs, an image, or a kind this version does not model. */
    public sealed interface Output permits Logs, Image, UnknownOutput {
        /** @return the wire discriminator */
        String type();
    }

    /**
     * What the code printed ({@code {"type":"logs","logs":...}}).
     *
     * @param logs the printed text; never {@code null}
     */
    public record Logs(String logs) implements Output {
        public Logs {
            requireNonNull(logs, "logs");
        }

        @Override
        public String type() {
            return "logs";
        }
    }

    /**
     * An image the code produced ({@code {"type":"image","url":...}}).
     *
     * @param url where the image is, often a {@code data:} URL; never {@code null}
     */
    public record Image(String url) implements Output {
        public Image {
            requireNonNull(url, "url");
        }

        @Override
        public String type() {
            return "image";
        }
    }

    /**
     * An output kind this version does not model, kept verbatim.
     *
     * @param type the wire {@code type}, or {@code null}
     * @param raw the output's JSON as received; copied, never {@code null}
     */
    public record UnknownOutput(String type, ObjectNode raw) implements Output {
        public UnknownOutput {
            raw = requireNonNull(raw, "raw").deepCopy();
        }

        /** @return the JSON as received; a copy */
        @Override
        public ObjectNode raw() {
            return raw.deepCopy();
        }
    }
}
