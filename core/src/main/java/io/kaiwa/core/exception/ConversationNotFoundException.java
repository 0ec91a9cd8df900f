package io.kaiwa.core.exception;

/** A {@link io.kaiwa.core.spi.ConversationStore} holds no conversation with the given id. */
public class ConversationNotFoundException extends NotFoundException {
    private static final long serialVersionUID = 1L;

    /** @param id the id that was looked up */
    public ConversationNotFoundException(String id) {
        super("No conversation with id '" + id + "'", 404, "conversation_not_found", null, null);
    }
}
