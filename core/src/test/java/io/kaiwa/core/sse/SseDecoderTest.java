package io.kaiwa.core.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SseDecoderTest {

    /** A stream with every construct the specification and DashScope use, in mixed line-end styles. */
    private static final String STREAM = "\uFEFF:HTTP_STATUS/200\r\n"
            + "id:1\r\n"
            + "event:response.created\r\n"
            + "data:{\"type\":\"response.created\",\"sequence_number\":0}\r\n"
            + "\r\n"
            + "data: {\"delta\":\"人工知能とは\"}\n"
            + "\n"
            + "data: first line\rdata: second line 🎉\r\r"
            + "retry: 2500\n"
            + "id\n"
            + "data\n"
            + "\n"
            + "unknown: ignored\n"
            + "data:  two leading spaces keep one\n"
            + "\n"
            + "event: only-event-no-data\n"
            + "\n"
            + "retry: 12x\n"
            + "data: Ελληνικά, ¿qué?\n"
            + "\n"
            + "data: [DONE]\n"
            + "\n";

    private static final List<SseEvent> EXPECTED = List.of(
            new SseEvent("response.created", "{\"type\":\"response.created\",\"sequence_number\":0}", "1", null),
            new SseEvent("message", "{\"delta\":\"人工知能とは\"}", "1", null),
            new SseEvent("message", "first line\nsecond line 🎉", "1", null),
            new SseEvent("message", "", null, 2500L),
            new SseEvent("message", " two leading spaces keep one", null, 2500L),
            new SseEvent("message", "Ελληνικά, ¿qué?", null, 2500L),
            new SseEvent("message", "[DONE]", null, 2500L));

    @Nested
    class FollowsTheSpecification {
        @Test
        void decodesEveryFieldLineEndAndCommentInOneChunk() {
            assertThat(decodeBytes(STREAM.getBytes(StandardCharsets.UTF_8), new int[0])).isEqualTo(EXPECTED);
        }

        @Test
        void decodesTheSameFromCharacters() {
            assertThat(decodeChars(STREAM, new int[0])).isEqualTo(EXPECTED);
        }

        @Test
        void marksTheDoneEvent() {
            assertThat(EXPECTED.get(6).isDone()).isTrue();
            assertThat(EXPECTED.get(0).isDone()).isFalse();
        }

        @Test
        void discardsAnEventWithoutItsBlankLineAndReportsIt() {
            var decoder = new SseDecoder();
            var events = new ArrayList<SseEvent>();

            decoder.feed(bytes("data: complete\n\ndata: cut off\n"), 0, 30, events::add);

            assertThat(events).extracting(SseEvent::data).containsExactly("complete");
            assertThat(decoder.hasPartialEvent()).isTrue();
        }

        @Test
        void reportsNoPartialEventAfterACleanEnd() {
            var decoder = new SseDecoder();
            byte[] b = bytes("data: x\n\n");

            decoder.feed(b, 0, b.length, e -> {
            });

            assertThat(decoder.hasPartialEvent()).isFalse();
        }

        @Test
        void readsFromByteBuffersDirectOrHeap() {
            byte[] b = STREAM.getBytes(StandardCharsets.UTF_8);
            var direct = ByteBuffer.allocateDirect(b.length).put(b).flip();
            var events = new ArrayList<SseEvent>();

            new SseDecoder().feed(direct, events::add);

            assertThat(events).isEqualTo(EXPECTED);
            assertThat(direct.hasRemaining()).isFalse();
        }

        @Test
        void refusesToMixBytesAndCharacters() {
            var decoder = new SseDecoder();
            decoder.feed("data: a\n", e -> {
            });

            assertThatThrownBy(() -> decoder.feed(new byte[]{'x'}, 0, 1, e -> {
            })).isInstanceOf(IllegalStateException.class);
        }
    }

    @Nested
    class GivesTheSameEventsForEverySplit {
        private final byte[] streamBytes = STREAM.getBytes(StandardCharsets.UTF_8);

        @ParameterizedTest(name = "seed {0}")
        @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
        void randomByteSplits(long seed) {
            var random = new Random(seed);
            for (int round = 0; round < 200; round++) {
                int[] cuts = randomCuts(random, streamBytes.length);
                assertThat(decodeBytes(streamBytes, cuts)).as("cuts %s", java.util.Arrays.toString(cuts))
                        .isEqualTo(EXPECTED);
            }
        }

        @Test
        void everySingleCutPointIncludingInsideMultiByteCharacters() {
            for (int cut = 1; cut < streamBytes.length; cut++) {
                assertThat(decodeBytes(streamBytes, new int[]{cut})).as("cut at %d", cut).isEqualTo(EXPECTED);
            }
        }

        @Test
        void oneByteAtATime() {
            int[] cuts = new int[streamBytes.length - 1];
            for (int i = 0; i < cuts.length; i++) {
                cuts[i] = i + 1;
            }
            assertThat(decodeBytes(streamBytes, cuts)).isEqualTo(EXPECTED);
        }

        @ParameterizedTest(name = "seed {0}")
        @ValueSource(longs = {11, 12, 13})
        void randomCharacterSplits(long seed) {
            var random = new Random(seed);
            for (int round = 0; round < 200; round++) {
                int[] cuts = randomCuts(random, STREAM.length());
                assertThat(decodeChars(STREAM, cuts)).isEqualTo(EXPECTED);
            }
        }

        @Test
        void splitsInsideMultiByteCharactersAreCovered() {
            // Guards the property above: the stream must really hold 2-, 3- and 4-byte UTF-8 characters.
            assertThat(STREAM).contains("Ε", "人", "🎉");
            assertThat(streamBytes.length).isGreaterThan(STREAM.length());
        }
    }

    private static int[] randomCuts(Random random, int length) {
        int n = 1 + random.nextInt(Math.min(40, length - 1));
        return random.ints(n, 1, length).sorted().distinct().toArray();
    }

    private static List<SseEvent> decodeBytes(byte[] stream, int[] cuts) {
        var decoder = new SseDecoder();
        var events = new ArrayList<SseEvent>();
        int from = 0;
        for (int cut : cuts) {
            // Copy each chunk so the decoder cannot rely on bytes outside what it was given.
            byte[] chunk = java.util.Arrays.copyOfRange(stream, from, cut);
            decoder.feed(chunk, 0, chunk.length, events::add);
            from = cut;
        }
        byte[] last = java.util.Arrays.copyOfRange(stream, from, stream.length);
        decoder.feed(last, 0, last.length, events::add);
        assertThat(decoder.hasPartialEvent()).isFalse();
        return events;
    }

    private static List<SseEvent> decodeChars(String stream, int[] cuts) {
        var decoder = new SseDecoder();
        var events = new ArrayList<SseEvent>();
        int from = 0;
        for (int cut : cuts) {
            decoder.feed(stream.substring(from, cut), events::add);
            from = cut;
        }
        decoder.feed(stream.substring(from), events::add);
        return events;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
