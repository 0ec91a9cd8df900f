package io.kaiwa.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.kaiwa.core.exception.ContentFilteredException;
import io.kaiwa.core.exception.InvalidRequestException;
import io.kaiwa.core.exception.NotFoundException;
import io.kaiwa.core.exception.ResponseNotFoundException;
import io.kaiwa.core.exception.RetriableException;

class UpstreamErrorsTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsRetryAfterInEveryFormItComesIn() {
        assertThat(UpstreamClient.retryAfter(Map.of("retry-after", "2"))).isEqualTo(Duration.ofSeconds(2));
        assertThat(UpstreamClient.retryAfter(Map.of("retry-after", "0.5"))).isEqualTo(Duration.ofMillis(500));
        assertThat(UpstreamClient.retryAfter(Map.of("retry-after-ms", "250", "retry-after", "9")))
                .isEqualTo(Duration.ofMillis(250));
        String inTenSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(10));
        assertThat(UpstreamClient.retryAfter(Map.of("retry-after", inTenSeconds))).isBetween(Duration.ofSeconds(8),
                Duration.ofSeconds(11));
        assertThat(UpstreamClient.retryAfter(Map.of("retry-after", "soon"))).isNull();
        assertThat(UpstreamClient.retryAfter(Map.of())).isNull();
    }

    @Test
    void readsAnErrorEventStreamBody() {
        var e = UpstreamErrors.map(400, Map.of(), bytes("id:1\nevent:error\n:HTTP_STATUS/400\n"
                + "data:{\"code\":\"DataInspectionFailed\",\"message\":\"bad\",\"request_id\":\"r\"}\n\n"));

        assertThat(e).isInstanceOf(ContentFilteredException.class);
        assertThat(e.getMessage()).isEqualTo("bad (request id r)");
    }

    @Test
    void anErrorInsideA200StreamIsRetriableUnlessItsCodeSaysTheRequestWasWrong() {
        assertThat(UpstreamErrors.map(200, Map.of(), bytes("{\"error\":{\"message\":\"hiccup\"}}")))
                .isExactlyInstanceOf(RetriableException.class);
        assertThat(UpstreamErrors.map(200, Map.of(), bytes("{\"code\":\"InvalidParameter\",\"message\":\"no\"}")))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void describesBodiesThatAreNotJson() {
        assertThat(UpstreamErrors.parse(502, bytes("")).message()).isEqualTo("HTTP 502 with an empty body");
        assertThat(UpstreamErrors.parse(502, bytes("x".repeat(5000))).message()).startsWith("HTTP 502: xxx")
                .endsWith("x…").hasSize("HTTP 502: ".length() + 2_000 + 1);
    }

    @Test
    void aRefusedPreviousResponseIdIsAResponseNotFoundInEitherProvidersShape() {
        assertThat(UpstreamErrors.map(400, Map.of(), bytes("""
                {"error":{"message":"Previous response with id 'resp_1' not found.","type":"invalid_request_error",
                 "param":"previous_response_id","code":"previous_response_not_found"}}""")))
                .isInstanceOf(ResponseNotFoundException.class);
        assertThat(UpstreamErrors.map(400, Map.of(), bytes("""
                {"code":"InvalidParameter","message":"The previous_response_id has expired.","request_id":"r"}""")))
                .isInstanceOf(ResponseNotFoundException.class);
        assertThat(UpstreamErrors.map(404, Map.of(), bytes("""
                {"error":{"message":"Previous response not found"}}"""))).isInstanceOf(ResponseNotFoundException.class);
        // Naming the field is not enough: the id must be what is missing.
        assertThat(UpstreamErrors.map(400, Map.of(), bytes("""
                {"error":{"message":"previous_response_id and conversation cannot be used together",
                 "param":"previous_response_id"}}"""))).isExactlyInstanceOf(InvalidRequestException.class);
        assertThat(UpstreamErrors.map(404, Map.of(), bytes("""
                {"error":{"message":"The model `x` does not exist","code":"model_not_found"}}""")))
                .isExactlyInstanceOf(NotFoundException.class);
    }
}
