package io.kaiwa.runtime.persistence;

import java.io.Serializable;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** One streamed event of a background response, as the client receives it (JSON with its sequence number). */
@Entity
@Table(name = "kaiwa_response_event")
@IdClass(EventRecord.Key.class)
public class EventRecord {
    @Id
    @Column(name = "response_id")
    public String responseId;
    @Id
    @Column(name = "sequence_number")
    public int sequenceNumber;
    public String data;

    /** For Hibernate. */
    public EventRecord() {
    }

    /**
     * @param responseId the response
     * @param sequenceNumber the event's number in the response's stream
     * @param data the event JSON
     */
    public EventRecord(String responseId, int sequenceNumber, String data) {
        this.responseId = responseId;
        this.sequenceNumber = sequenceNumber;
        this.data = data;
    }

    /** The composite key. */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        public String responseId;
        public int sequenceNumber;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.sequenceNumber == sequenceNumber && Objects.equals(k.responseId, responseId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(responseId, sequenceNumber);
        }
    }
}
