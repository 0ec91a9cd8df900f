package io.kaiwa.chat.examples;

import java.util.List;

import io.kaiwa.chat.ChatCompletionsAdapter;
import io.kaiwa.core.Conversation;
import io.kaiwa.core.Turn;
import io.kaiwa.core.context.ContextPolicy;
import io.kaiwa.core.event.StreamEvent;
import io.kaiwa.core.item.MessageItem;

public class ChatExample {
    public static void main(String[] args) {
        // Reads DASHSCOPE_API_KEY; baseUrl(...) points it at any other OpenAI-compatible server.
        try (var adapter = ChatCompletionsAdapter.builder().model("qwen-plus").build()) {
            Conversation conversation = Conversation.builder()
                    .instructions("You are a helpful assistant.")
                    .contextPolicy(ContextPolicy.lastTurns(20))
                    .build();

            // Turn 1: the whole answer at once.
            Turn turn = adapter.send(conversation, List.of(MessageItem.user("My name is Tanaka.")))
                    .await().indefinitely();
            conversation = conversation.withTurn(turn);
            System.out.println(turn.outputText());

            // Turn 2: streamed. The adapter rebuilds the history (instructions, turn 1, the new question).
            StreamEvent last = adapter.stream(conversation, List.of(MessageItem.user("What is my name?")))
                    .onItem().invoke(event -> {
                        if (event instanceof StreamEvent.TextDelta delta) {
                            System.out.print(delta.delta());
                        }
                    })
                    .collect().last().await().indefinitely();
            if (last instanceof StreamEvent.Completed completed) {
                conversation = conversation.withTurn(completed.turn());
            }
            System.out.println();
            System.out.println("Tokens so far: " + conversation.totals().totalTokens());
        }
    }
}
