package io.kaiwa.responses.examples;

import java.util.List;

import io.kaiwa.core.Conversation;
import io.kaiwa.core.Turn;
import io.kaiwa.core.event.StreamEvent;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.core.item.WebSearchCallItem;
import io.kaiwa.core.options.HostedTool;
import io.kaiwa.core.options.RequestOptions;
import io.kaiwa.responses.ResponsesAdapter;

public class ResponsesExample {
    public static void main(String[] args) {
        // Reads DASHSCOPE_API_KEY; baseUrl(...) points it at any other Responses API server.
        try (var adapter = ResponsesAdapter.builder().model("qwen3-max-2026-01-23").enableThinking(true).build()) {
            Conversation conversation = Conversation.builder().instructions("Answer briefly.").build();

            // Turn 1 sends the input; the provider keeps the response.
            Turn turn = adapter.send(conversation, List.of(MessageItem.user("My name is Tanaka.")))
                    .await().indefinitely();
            conversation = conversation.withTurn(turn);

            // Turn 2 sends only the new input with previous_response_id, or the whole history again if that id
            // has expired or the provider forgot it. turn.chaining() says which happened. What a call asks for
            // travels with it: here the built-in tools, for this turn only.
            RequestOptions research = RequestOptions.builder()
                    .tools(List.of(new HostedTool("web_search"), new HostedTool("web_extractor"),
                            new HostedTool("code_interpreter")))
                    .build();
            StreamEvent last = adapter.stream(conversation,
                    List.of(MessageItem.user("Find Alibaba Cloud's website and summarise it. Use my name.")), research)
                    .onItem().invoke(event -> {
                        if (event instanceof StreamEvent.ToolCallProgress progress) {
                            System.out.println("[" + progress.tool() + " " + progress.phase() + "]");
                        } else if (event instanceof StreamEvent.ItemDone done
                                && done.item() instanceof WebSearchCallItem search && search.action() != null) {
                            search.action().sources().forEach(source -> System.out.println("  " + source.url()));
                        } else if (event instanceof StreamEvent.TextDelta delta) {
                            System.out.print(delta.delta());
                        }
                    })
                    .collect().last().await().indefinitely();
            if (last instanceof StreamEvent.Completed completed) {
                conversation = conversation.withTurn(completed.turn());
                System.out.println();
                System.out.println(completed.turn().chaining().mode() + ", tool calls: "
                        + conversation.totals().toolCalls());
            } else if (last instanceof StreamEvent.Failed failed) {
                System.out.println("failed: " + failed.error().getMessage());
            }
        }
    }
}
