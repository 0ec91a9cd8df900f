package io.kaiwa.core.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The SSE decoder under fuzzing: any bytes, split anywhere, decode to the same events as the bytes in one piece (a
 * provider's stream arrives in chunks cut wherever the network cut them), and nothing but an event or nothing comes
 * out. Without {@code JAZZER_FUZZ=1} this runs the kept inputs in {@code SseDecoderFuzzTestInputs} as regression
 * tests; with it, it searches for new ones.
 */
class SseDecoderFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void anyBytesDecodeToTheSameEventsHoweverTheyAreSplit(FuzzedDataProvider data) {
        int cut = data.consumeInt(0, 1 << 20);
        int secondCut = data.consumeInt(0, 1 << 20);
        byte[] bytes = data.consumeRemainingAsBytes();
        int first = bytes.length == 0 ? 0 : cut % (bytes.length + 1);
        int second = first + (bytes.length - first == 0 ? 0 : secondCut % (bytes.length - first + 1));

        List<SseEvent> whole = decode(bytes, bytes.length, bytes.length);
        List<SseEvent> split = decode(bytes, first, second);

        assertThat(split).isEqualTo(whole);
        for (SseEvent e : whole) {
            assertThat(e.event()).isNotNull();
            assertThat(e.data()).isNotNull();
        }
    }

    private static List<SseEvent> decode(byte[] bytes, int first, int second) {
        var decoder = new SseDecoder();
        var events = new ArrayList<SseEvent>();
        decoder.feed(bytes, 0, first, events::add);
        decoder.feed(bytes, first, second - first, events::add);
        decoder.feed(bytes, second, bytes.length - second, events::add);
        return events;
    }
}
