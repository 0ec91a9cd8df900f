package io.kaiwa.runtime.persistence;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import io.kaiwa.core.TurnStatus;

/** Where a stored response stands, as the Responses API names it; the {@code status} column holds its wire name. */
public enum ResponseStatus {
    /** A background response no worker has started. */
    QUEUED("queued"),
    /** Being answered. */
    IN_PROGRESS("in_progress"),
    /** Answered in full. */
    COMPLETED("completed"),
    /** Answered in part: the model stopped early (a limit, a filter, the tool budget). */
    INCOMPLETE("incomplete"),
    /** Not answered: the provider or the service failed. */
    FAILED("failed"),
    /** Stopped by its client. */
    CANCELLED("cancelled");

    private final String wire;

    ResponseStatus(String wire) {
        this.wire = wire;
    }

    /** @return the API's name, e.g. {@code in_progress} */
    public String wire() {
        return wire;
    }

    /** @return whether the response has ended, so nothing about it changes any more */
    public boolean isFinal() {
        return this != QUEUED && this != IN_PROGRESS;
    }

    /**
     * @param status how a turn ended
     * @return the response's status for it
     */
    public static ResponseStatus of(TurnStatus status) {
        return switch (status) {
            case COMPLETED -> COMPLETED;
            case INCOMPLETE -> INCOMPLETE;
            case CANCELLED -> CANCELLED;
            case FAILED -> FAILED;
        };
    }

    /** @return the turn status a finished response replays as */
    public TurnStatus turnStatus() {
        return switch (this) {
            case COMPLETED -> TurnStatus.COMPLETED;
            case INCOMPLETE -> TurnStatus.INCOMPLETE;
            case CANCELLED -> TurnStatus.CANCELLED;
            // A response that never finished replays as a failed turn: it is not part of the history.
            case QUEUED, IN_PROGRESS, FAILED -> TurnStatus.FAILED;
        };
    }

    /**
     * @param wire a wire name
     * @return its status
     * @throws IllegalArgumentException for a name that is none
     */
    public static ResponseStatus ofWire(String wire) {
        for (ResponseStatus s : values()) {
            if (s.wire.equals(wire)) {
                return s;
            }
        }
        throw new IllegalArgumentException("not a response status: " + wire);
    }

    /** The column's mapping: the wire name, so the SQL Kaiwa writes by hand reads the same values. */
    @Converter(autoApply = true)
    public static final class Column implements AttributeConverter<ResponseStatus, String> {
        @Override
        public String convertToDatabaseColumn(ResponseStatus status) {
            return status == null ? null : status.wire;
        }

        @Override
        public ResponseStatus convertToEntityAttribute(String wire) {
            return wire == null ? null : ofWire(wire);
        }
    }
}
