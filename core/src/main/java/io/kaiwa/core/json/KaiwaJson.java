package io.kaiwa.core.json;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.Version;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;

import io.kaiwa.core.Usage;
import io.kaiwa.core.content.ContentPart;
import io.kaiwa.core.exception.InvalidPayloadException;
import io.kaiwa.core.internal.json.ItemReader;
import io.kaiwa.core.internal.json.ItemWriter;
import io.kaiwa.core.internal.json.OptionsJson;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.options.RequestOptions;
import io.kaiwa.core.options.TextFormat;

/**
 * Reads and writes Kaiwa's model as Responses API JSON.
 *
 * <p>
 * Two ways in: the static methods here, which need no setup, and {@link #module()}, a Jackson module to register
 * on an application's own {@link ObjectMapper} (Quarkus's, say) so {@code Item}, {@code ContentPart} and
 * {@code Usage} (de)serialise wherever they appear. Both use the same hand-written mapping, so no reflection is
 * involved and native images need no configuration.
 *
 * <p>
 * Reading never throws a {@code NullPointerException}: malformed JSON, a field of the wrong type and a missing
 * required field all raise an {@link InvalidPayloadException} naming the field's path; unknown item, content and
 * annotation types are kept verbatim. All methods are thread-safe.
 */
public final class KaiwaJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private KaiwaJson() {
    }

    /**
     * @return a new Jackson module mapping {@link Item}, {@link ContentPart} and {@link Usage} to and from their
     *         Responses API JSON
     */
    public static Module module() {
        var module = new SimpleModule("kaiwa-core", Version.unknownVersion());
        module.addSerializer(Item.class, new JsonSerializer<Item>() {
            @Override
            public void serialize(Item value, JsonGenerator g, SerializerProvider p) throws IOException {
                ItemWriter.item(g, value);
            }
        });
        module.addSerializer(ContentPart.class, new JsonSerializer<ContentPart>() {
            @Override
            public void serialize(ContentPart value, JsonGenerator g, SerializerProvider p) throws IOException {
                ItemWriter.content(g, value);
            }
        });
        module.addSerializer(Usage.class, new JsonSerializer<Usage>() {
            @Override
            public void serialize(Usage value, JsonGenerator g, SerializerProvider p) throws IOException {
                ItemWriter.usage(g, value);
            }
        });
        module.addDeserializer(Item.class, new JsonDeserializer<Item>() {
            @Override
            public Item deserialize(JsonParser p, DeserializationContext c) throws IOException {
                return ItemReader.item(p.readValueAsTree(), "");
            }
        });
        module.addDeserializer(ContentPart.class, new JsonDeserializer<ContentPart>() {
            @Override
            public ContentPart deserialize(JsonParser p, DeserializationContext c) throws IOException {
                return ItemReader.content(p.readValueAsTree(), "");
            }
        });
        module.addDeserializer(Usage.class, new JsonDeserializer<Usage>() {
            @Override
            public Usage deserialize(JsonParser p, DeserializationContext c) throws IOException {
                return ItemReader.usage(p.readValueAsTree(), "");
            }
        });
        return module;
    }

    /**
     * @param json any JSON text; never {@code null}
     * @return its tree
     * @throws InvalidPayloadException when it is not well-formed JSON
     */
    public static JsonNode parse(String json) {
        return parse(() -> MAPPER.readTree(json));
    }

    /**
     * @param json UTF-8 JSON bytes; never {@code null}
     * @return its tree
     * @throws InvalidPayloadException when they are not well-formed JSON
     */
    public static JsonNode parse(byte[] json) {
        return parse(() -> MAPPER.readTree(json));
    }

    private interface TreeRead {
        JsonNode read() throws IOException;
    }

    private static JsonNode parse(TreeRead read) {
        try {
            JsonNode node = read.read();
            if (node == null || node.isMissingNode()) {
                throw new InvalidPayloadException("", "empty JSON document", null);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new InvalidPayloadException("", "malformed JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidPayloadException("", "malformed JSON: " + e.getMessage(), e);
        }
    }

    /**
     * @param node an item's JSON; {@code null} is reported as a missing object
     * @param path its path in the enclosing document for error messages, {@code ""} for none
     * @return the item
     * @throws InvalidPayloadException when a known item type has a wrong or missing field
     */
    public static Item readItem(JsonNode node, String path) {
        return ItemReader.item(node, path);
    }

    /**
     * @param node a JSON array of items
     * @param path its path in the enclosing document, {@code ""} for none
     * @return the items, in order
     * @throws InvalidPayloadException when it is not an array or an item is invalid
     */
    public static List<Item> readItems(JsonNode node, String path) {
        return ItemReader.items(node, path);
    }

    /**
     * @param json an item's JSON text
     * @return the item
     * @throws InvalidPayloadException when the JSON is malformed or the item invalid
     */
    public static Item readItem(String json) {
        return ItemReader.item(parse(json), "");
    }

    /**
     * @param node a content part's JSON
     * @param path its path in the enclosing document, {@code ""} for none
     * @return the content part
     * @throws InvalidPayloadException when a known part type has a wrong or missing field
     */
    public static ContentPart readContent(JsonNode node, String path) {
        return ItemReader.content(node, path);
    }

    /**
     * @param node usage JSON in the Responses API's shape
     * @param path its path in the enclosing document, {@code ""} for none
     * @return the usage
     * @throws InvalidPayloadException when a count is not a non-negative integer
     */
    public static Usage readUsage(JsonNode node, String path) {
        return ItemReader.usage(node, path);
    }

    /**
     * @param g where to write; the caller owns and closes it
     * @param item the item
     * @throws IOException when the generator fails
     */
    public static void writeItem(JsonGenerator g, Item item) throws IOException {
        ItemWriter.item(g, item);
    }

    /**
     * @param g where to write; the caller owns and closes it
     * @param items the items, written as one JSON array
     * @throws IOException when the generator fails
     */
    public static void writeItems(JsonGenerator g, List<? extends Item> items) throws IOException {
        ItemWriter.items(g, items);
    }

    /**
     * @param g where to write; the caller owns and closes it
     * @param part the content part
     * @throws IOException when the generator fails
     */
    public static void writeContent(JsonGenerator g, ContentPart part) throws IOException {
        ItemWriter.content(g, part);
    }

    /**
     * @param g where to write; the caller owns and closes it
     * @param usage the usage, in the Responses API's shape
     * @throws IOException when the generator fails
     */
    public static void writeUsage(JsonGenerator g, Usage usage) throws IOException {
        ItemWriter.usage(g, usage);
    }

    /**
     * @param item the item
     * @return its JSON text
     */
    public static String toJson(Item item) {
        return write(g -> ItemWriter.item(g, item));
    }

    /**
     * @param items the items
     * @return their JSON array text
     */
    public static String toJson(List<? extends Item> items) {
        return write(g -> ItemWriter.items(g, items));
    }

    /**
     * @param usage the usage
     * @return its JSON text
     */
    public static String toJson(Usage usage) {
        return write(g -> ItemWriter.usage(g, usage));
    }

    /**
     * @param item the item
     * @return its JSON tree
     */
    public static JsonNode toTree(Item item) {
        return parse(toJson(item));
    }

    /**
     * Reads the option fields of a Responses API request body ({@code tools}, {@code tool_choice},
     * {@code max_output_tokens}, {@code text}, ...). Fields it does not model become {@link RequestOptions#extras()}.
     *
     * @param node an object of request fields
     * @param path its path in the enclosing document for error messages, {@code ""} for none
     * @return the options
     * @throws InvalidPayloadException naming the field that has the wrong type or is out of range
     */
    public static RequestOptions readOptions(JsonNode node, String path) {
        return OptionsJson.read(node, path);
    }

    /**
     * Writes options as fields of a Responses API request body, inside its object, in the API's own names; extras
     * last.
     *
     * @param g where to write
     * @param options the options
     * @param skip names the caller writes itself, left out here
     * @return the names written, so the caller does not write them twice
     * @throws IOException when the generator fails
     */
    public static Set<String> writeOptionFields(JsonGenerator g, RequestOptions options, Set<String> skip)
            throws IOException {
        return OptionsJson.writeFields(g, options, skip);
    }

    /**
     * Writes a JSON schema format's fields other than its type (name, schema, strict, description, the rest), as
     * both {@code text.format} (Responses API) and {@code response_format.json_schema} (Chat Completions) hold them.
     *
     * @param g where to write, inside an object
     * @param schema the format
     * @throws IOException when the generator fails
     */
    public static void writeSchemaFields(JsonGenerator g, TextFormat.JsonSchema schema) throws IOException {
        OptionsJson.writeSchemaFields(g, schema);
    }

    /**
     * @param g where to write, inside an object
     * @param fields fields written as they are, in order
     * @throws IOException when the generator fails
     */
    public static void writeFields(JsonGenerator g, Map<String, JsonNode> fields) throws IOException {
        OptionsJson.fields(g, fields);
    }

    /**
     * @return the JSON factory behind these methods, for code that streams its own JSON with Kaiwa's settings;
     *         thread-safe, shared
     */
    public static JsonFactory factory() {
        return MAPPER.getFactory();
    }

    /** @return Kaiwa's one shared mapper, for reading and writing trees; do not reconfigure it */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private interface Writing {
        void to(JsonGenerator g) throws IOException;
    }

    private static String write(Writing writing) {
        var out = new StringWriter();
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            writing.to(g);
        } catch (IOException e) {
            // A StringWriter does not fail; a generator only fails here on a Kaiwa bug.
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
