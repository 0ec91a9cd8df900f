package io.kaiwa.core.exception;

/**
 * The provider stopped the answer early for a reason other than content filtering (the Responses API's
 * {@code incomplete} status, e.g. {@code max_output_tokens}); what was produced is in the turn. Asking again with
 * the same limits would stop at the same place.
 */
public class IncompleteAnswerException extends NonRetriableException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong; never {@code null}
     * @param reason the provider's reason, e.g. {@code max_output_tokens}, kept as the error code; or {@code null}
     */
    public IncompleteAnswerException(String message, String reason) {
        super(message, 0, reason, null, null);
    }
}
