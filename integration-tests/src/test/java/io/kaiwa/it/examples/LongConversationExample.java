package io.kaiwa.it.examples;

import java.util.List;

import io.kaiwa.chat.ChatCompletionsAdapter;
import io.kaiwa.core.Conversation;
import io.kaiwa.core.Turn;
import io.kaiwa.core.context.ContextPolicy;
import io.kaiwa.core.context.ModelSummarizer;
import io.kaiwa.core.context.RollingSummary;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.core.options.RequestOptions;
import io.kaiwa.core.spi.TokenEstimator;

public class LongConversationExample {
    public static void main(String[] args) {
        try (var adapter = ChatCompletionsAdapter.builder().model("qwen-plus").build()) {
            // Past 90,000 tokens the older turns are folded into a summary written by qwen-flash (a separate call,
            // made once and reused); the most recent turns stay word for word.
            var memory = new RollingSummary(new ModelSummarizer(adapter, "qwen-flash", RequestOptions.none()),
                    TokenEstimator.defaultEstimator(), 90_000);
            // Between summaries, at most the last 40 to 49 turns, older ones leaving ten at a time: the prompt's
            // beginning stays the same for ten turns, and the provider's prefix cache keeps serving it.
            Conversation conversation = Conversation.builder()
                    .instructions("You are a helpful assistant.")
                    .contextPolicy(ContextPolicy.lastTurns(40, 10))
                    .build();

            for (String said : List.of("My cat is called Mike.", "What should I cook tonight?",
                    "What's my cat's name?")) {
                List<Item> input = List.of(MessageItem.user(said));
                conversation = memory.compact(conversation, input).await().indefinitely();
                Turn turn = adapter.send(conversation, input).await().indefinitely();
                conversation = conversation.withTurn(turn);
                System.out.println(turn.outputText());
            }
        }
    }
}
