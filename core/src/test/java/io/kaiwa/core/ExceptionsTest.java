package io.kaiwa.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.kaiwa.core.exception.AuthenticationException;
import io.kaiwa.core.exception.ConflictException;
import io.kaiwa.core.exception.ConnectionException;
import io.kaiwa.core.exception.ContentFilteredException;
import io.kaiwa.core.exception.ContextWindowExceededException;
import io.kaiwa.core.exception.InsufficientQuotaException;
import io.kaiwa.core.exception.InvalidPayloadException;
import io.kaiwa.core.exception.InvalidRequestException;
import io.kaiwa.core.exception.KaiwaException;
import io.kaiwa.core.exception.NonRetriableException;
import io.kaiwa.core.exception.RateLimitException;
import io.kaiwa.core.exception.ResponseNotFoundException;
import io.kaiwa.core.exception.RetriableException;
import io.kaiwa.core.exception.ServerException;
import io.kaiwa.core.exception.UpstreamTimeoutException;

class ExceptionsTest {
    @Test
    void retriableLeavesSayTheyAreRetriable() {
        for (KaiwaException e : new KaiwaException[]{new RateLimitException("m", 429, "Throttling.RateQuota", null),
                new ServerException("m", 503, null, null), new UpstreamTimeoutException("m", 0, null, null),
                new ConnectionException("m", 0, null, null), new ConflictException("m", 409, null, null)}) {
            assertThat(e).isInstanceOf(RetriableException.class);
            assertThat(e.isRetriable()).as(e.getClass().getSimpleName()).isTrue();
        }
    }

    @Test
    void nonRetriableLeavesSayTheyAreNot() {
        for (KaiwaException e : new KaiwaException[]{
                new AuthenticationException("m", 401, "invalid_api_key", null, null),
                new InvalidRequestException("m", 400, "InvalidParameter", "input", null),
                new ContextWindowExceededException("m", 400, null, null, null),
                new ContentFilteredException("m", 400, "DataInspectionFailed", null, null),
                new InsufficientQuotaException("m", 400, "Arrearage", null, null),
                new ResponseNotFoundException("m", 404, null, null, null),
                new InvalidPayloadException("output[0].role", "required field is missing", null)}) {
            assertThat(e).isInstanceOf(NonRetriableException.class);
            assertThat(e.isRetriable()).as(e.getClass().getSimpleName()).isFalse();
        }
    }

    @Test
    void carriesStatusCodeAndParam() {
        var e = new InvalidRequestException("bad", 400, "InvalidParameter", "temperature", null);

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.code()).isEqualTo("InvalidParameter");
        assertThat(e.param()).isEqualTo("temperature");
        assertThat(new InvalidPayloadException("", "malformed JSON", null).param()).isNull();
    }
}
