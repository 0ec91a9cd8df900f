package example;

import java.util.List;

import io.kaiwa.core.Conversation;
import io.kaiwa.core.Turn;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.responses.ResponsesAdapter;

/**
 * Two turns of one conversation with the Responses adapter alone: the second sends only its new input and the
 * first response's id, and the model still knows the name.
 *
 * <p>
 * Run it against Model Studio with {@code DASHSCOPE_API_KEY} set, or against any Responses API server with its base
 * URL as the first argument.
 */
public final class RememberName {
    private RememberName() {
    }

    /**
     * @param adapter the adapter to talk through
     * @return the two turns' answers
     */
    public static List<String> run(ResponsesAdapter adapter) {
        Conversation conversation = Conversation.builder().instructions("Answer briefly.").build();
        Turn first = adapter.send(conversation, List.of(MessageItem.user("My name is Tanaka."))).await()
                .indefinitely();
        conversation = conversation.withTurn(first);
        Turn second = adapter.send(conversation, List.of(MessageItem.user("What is my name?"))).await()
                .indefinitely();
        return List.of(first.outputText(), second.outputText());
    }

    /** @param args optionally, the base URL of a Responses API server */
    public static void main(String[] args) {
        var builder = ResponsesAdapter.builder().model("qwen3-max-2026-01-23");
        if (args.length > 0) {
            builder.baseUrl(args[0]);
        }
        try (ResponsesAdapter adapter = builder.build()) {
            run(adapter).forEach(System.out::println);
        }
    }
}
