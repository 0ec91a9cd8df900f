package io.kaiwa.runtime.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.kaiwa.core.Conversation;
import io.kaiwa.core.ModelAdapter;
import io.kaiwa.core.Turn;
import io.kaiwa.core.TurnStatus;
import io.kaiwa.core.Usage;
import io.kaiwa.core.event.StreamEvent;
import io.kaiwa.core.exception.KaiwaException;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.options.RequestOptions;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * A model that answers each call with the next scripted turn (or failure), streams it as an adapter would (each
 * output item added then done, then {@code Completed}), and keeps what each call was sent.
 */
final class FakeModel implements ModelAdapter {
    /** What one call was sent. */
    record Call(Conversation conversation, List<Item> input, RequestOptions options) {
    }

    private final List<Supplier<Turn>> answers = new ArrayList<>();
    final List<Call> calls = new ArrayList<>();

    /** @param output the next call's output items @return this */
    FakeModel answers(Item... output) {
        answers.add(() -> Turn.completed(List.of(), List.of(output)));
        return this;
    }

    /** @param usage what the next call used @param output its output items @return this */
    FakeModel answers(Usage usage, Item... output) {
        answers.add(() -> new Turn(null, List.of(), List.of(output), usage, null, TurnStatus.COMPLETED, null, null,
                null, null));
        return this;
    }

    /** @param failure what the next call fails with @return this */
    FakeModel fails(KaiwaException failure) {
        answers.add(() -> {
            throw failure;
        });
        return this;
    }

    private Turn next(Conversation conversation, List<Item> input, RequestOptions options) {
        calls.add(new Call(conversation, List.copyOf(input), options));
        if (calls.size() > answers.size()) {
            throw new AssertionError("the model was called " + calls.size() + " times; " + answers.size()
                    + " answers were scripted");
        }
        Turn scripted = answers.get(calls.size() - 1).get();
        return new Turn(scripted.id(), input, scripted.output(), scripted.usage(), null, scripted.status(),
                scripted.error(), null, null, null);
    }

    @Override
    public Uni<Turn> send(Conversation conversation, List<Item> input, RequestOptions options) {
        return Uni.createFrom().item(() -> next(conversation, input, options));
    }

    @Override
    public Multi<StreamEvent> stream(Conversation conversation, List<Item> input, RequestOptions options) {
        return Multi.createFrom().deferred(() -> {
            Turn turn = next(conversation, input, options);
            List<StreamEvent> events = new ArrayList<>();
            for (int i = 0; i < turn.output().size(); i++) {
                events.add(new StreamEvent.ItemAdded(i, turn.output().get(i)));
                events.add(new StreamEvent.ItemDone(i, turn.output().get(i)));
            }
            events.add(new StreamEvent.Completed(turn));
            return Multi.createFrom().iterable(events);
        });
    }
}
