package io.kaiwa.runtime.service;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.exception.KaiwaException;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.runtime.api.ErrorBody;

/**
 * The request parser under fuzzing: whatever body a client sends to {@code POST /v1/responses} or
 * {@code /v1/responses/compact}, parsing it either succeeds or fails with one of Kaiwa's exceptions (a 4xx naming
 * the field); anything else would reach the client as a 500. Without {@code JAZZER_FUZZ=1} this runs the kept inputs
 * in {@code RequestParserFuzzTestInputs} as regression tests; with it, it searches for new ones.
 */
class RequestParserFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyBodyIsParsedOrRefusedWithAClientError(byte[] body) {
        JsonNode tree;
        try {
            // The bytes as CreateRoute hands them over, invalid UTF-8 included.
            tree = KaiwaJson.parse(body);
        } catch (KaiwaException notJson) {
            return;
        }
        try {
            CreateRequest.parse(tree);
        } catch (KaiwaException refused) {
            assertClientError(refused);
        }
        try {
            CompactRequest.parse(tree);
        } catch (KaiwaException refused) {
            assertClientError(refused);
        }
    }

    /** As the client would be answered: a 4xx, never a 5xx. */
    private static void assertClientError(KaiwaException refused) {
        int status = ErrorBody.of(refused).status();
        if (status < 400 || status > 499) {
            throw new AssertionError("answered " + status + ": " + refused, refused);
        }
    }
}
