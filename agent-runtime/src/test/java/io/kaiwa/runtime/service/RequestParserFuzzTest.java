package io.kaiwa.runtime.service;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.exception.KaiwaException;
import io.kaiwa.core.json.KaiwaJson;

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
            tree = KaiwaJson.parse(new String(body, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
        } catch (KaiwaException notJson) {
            return;
        }
        try {
            CreateRequest.parse(tree);
        } catch (KaiwaException refused) {
            // A 4xx, as intended.
        }
        try {
            CompactRequest.parse(tree);
        } catch (KaiwaException refused) {
            // A 4xx, as intended.
        }
    }
}
